import Foundation
import Synchronization

/// The database files this process has open through ``Connection``, by
/// device and inode.
///
/// POSIX advisory locks belong to the process and the file, not to a file
/// descriptor: closing *any* descriptor of a file drops every lock the
/// process holds on it, including the locks SQLite's connections hold. So
/// nothing in this process may open and close a database file that one of
/// its connections has open — not even to read the header. The second and
/// later connections to a file skip ``DatabaseFileHeader/check(path:)``;
/// the first one already checked it. (Without this, a second `Store` on an
/// open file let another process believe it was the last connection, delete
/// the WAL and leave this process reading a stale one.)
enum OpenDatabaseFiles {
  /// A file's identity on this machine.
  struct Identity: Hashable {
    let device: UInt64
    let inode: UInt64
  }

  private static let counts = Mutex<[Identity: Int]>([:])

  /// The identity of the file at `path`, or nil when it does not exist.
  static func identity(of path: String) -> Identity? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
  }

  /// Whether a connection of this process has the file at `path` open.
  static func isOpen(_ path: String) -> Bool {
    guard let identity = identity(of: path) else { return false }
    return counts.withLock { $0[identity, default: 0] > 0 }
  }

  /// Notes one more connection to the file at `path`; returns its identity
  /// for ``closed(_:)``.
  static func opened(_ path: String) -> Identity? {
    guard let identity = identity(of: path) else { return nil }
    counts.withLock { $0[identity, default: 0] += 1 }
    return identity
  }

  /// Notes that a connection to the file `identity` closed.
  static func closed(_ identity: Identity?) {
    guard let identity else { return }
    counts.withLock { counts in
      let remaining = counts[identity, default: 1] - 1
      counts[identity] = remaining > 0 ? remaining : nil
    }
  }
}
