import CSQLite
import Foundation

/// One connection to an SQLite database file (`sqlite3*`), opened with
/// `sqlite3_open_v2` and closed with `sqlite3_close_v2`.
///
/// A read-write connection runs in WAL journal mode with
/// `synchronous = NORMAL` (a commit survives a crash of the process; a power
/// loss may lose the last commits but never corrupts the file), enforces
/// foreign keys and waits up to its busy timeout for other writers. A
/// connection is not thread-safe: use it from one thread at a time (``Store``
/// serialises its calls with a lock).
public final class Connection {
  /// Whether a connection may write.
  public enum Access: Sendable {
    /// Read and write; the file is created when missing.
    case readWrite
    /// Read only (`SQLITE_OPEN_READONLY`, `PRAGMA query_only`).
    case readOnly
  }

  /// How a transaction takes its locks.
  public enum TransactionKind: Sendable {
    /// `BEGIN DEFERRED`: a consistent snapshot for several reads.
    case deferred
    /// `BEGIN IMMEDIATE`: takes the write lock at once, waiting for other
    /// writers, so the transaction never fails half-way on a lock.
    case immediate
  }

  /// The database file.
  public let path: String
  /// Whether this connection may write.
  public let access: Access
  let handle: OpaquePointer
  private var fileIdentity: OpenDatabaseFiles.Identity?
  private var cache: [String: Statement] = [:]
  private var savepoints = 0

  /// Opens (and, for `.readWrite`, creates) the database at `path`.
  ///
  /// Wraps `sqlite3_open_v2`, `sqlite3_extended_result_codes` and
  /// `sqlite3_busy_timeout`, then sets the pragmas above. The file's header is
  /// checked before SQLite sees it, so a file that is not a database or is
  /// truncated is refused without being touched.
  ///
  /// - Parameters:
  ///   - busyTimeout: how long to wait for another connection's lock, in
  ///     milliseconds (≥ 0).
  /// - Throws: ``TrackingError/notADatabase(path:)``,
  ///   ``TrackingError/corrupt(path:detail:)``,
  ///   ``TrackingError/readOnly(path:detail:)`` (a read-write open of a file or
  ///   folder that cannot be written), ``TrackingError/cannotOpen(path:detail:)``.
  public init(
    path: String, access: Access = .readWrite, busyTimeout: Int32 = 60_000
  ) throws(TrackingError) {
    // Another connection of this process has already checked the file, and
    // opening it again here would drop that connection's locks.
    if !OpenDatabaseFiles.isOpen(path) {
      try DatabaseFileHeader.check(path: path)
    }
    var database: OpaquePointer?
    let flags =
      (access == .readOnly
        ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
      | SQLITE_OPEN_NOMUTEX
    let code = sqlite3_open_v2(path, &database, flags, nil)
    guard let database else {
      throw .cannotOpen(path: path, detail: "SQLite could not allocate a connection")
    }
    guard code == SQLITE_OK else {
      let error = Self.error(code: code, database: database, path: path, sql: nil)
      sqlite3_close_v2(database)
      throw Self.explainOpenFailure(error, path: path, access: access)
    }
    self.handle = database
    self.path = path
    self.access = access
    self.fileIdentity = OpenDatabaseFiles.opened(path)
    sqlite3_extended_result_codes(database, 1)
    sqlite3_busy_timeout(database, max(0, busyTimeout))
    try configure()
  }

  deinit {
    cache.removeAll()
    sqlite3_close_v2(handle)
    OpenDatabaseFiles.closed(fileIdentity)
  }

  // MARK: - Executing SQL

  /// Runs one or more SQL statements that return no rows (`sqlite3_exec`).
  public func execute(_ sql: String) throws(TrackingError) {
    let code = sqlite3_exec(handle, sql, nil, nil, nil)
    guard code == SQLITE_OK else { throw error(code: code, sql: sql) }
  }

  /// Compiles one SQL statement (`sqlite3_prepare_v3`); the statement is
  /// finalized when released.
  public func prepare(_ sql: String) throws(TrackingError) -> Statement {
    try Statement(connection: self, sql: sql, persistent: false)
  }

  /// The compiled statement for `sql`, prepared once and reused for the life
  /// of the connection: for hot inserts. Reset it before use
  /// (``Statement/run(_:)`` does).
  public func cachedStatement(_ sql: String) throws(TrackingError) -> Statement {
    if let statement = cache[sql] { return statement }
    let statement = try Statement(connection: self, sql: sql, persistent: true)
    cache[sql] = statement
    return statement
  }

  /// All rows of one SQL statement with `bindings` for its `?` parameters.
  public func rows(_ sql: String, _ bindings: [SQLValue] = []) throws(TrackingError) -> [Row] {
    let statement = try prepare(sql)
    try statement.bind(bindings)
    var rows: [Row] = []
    let columns = (0..<statement.columnCount).map(statement.columnName(at:))
    while try statement.step() {
      rows.append(
        Row(columns: columns, values: (0..<statement.columnCount).map(statement.value(at:))))
    }
    return rows
  }

  /// Calls `body` with the statement positioned on each row in turn, without
  /// collecting the rows: for large reads such as exports.
  public func forEachRow(
    _ sql: String, _ bindings: [SQLValue] = [],
    _ body: (Statement) throws(TrackingError) -> Void
  ) throws(TrackingError) {
    let statement = try prepare(sql)
    try statement.bind(bindings)
    while try statement.step() { try body(statement) }
  }

  /// The first column of the first row, or `nil` when there is no row.
  public func scalar(_ sql: String, _ bindings: [SQLValue] = []) throws(TrackingError) -> SQLValue?
  {
    let statement = try prepare(sql)
    try statement.bind(bindings)
    return try statement.step() ? statement.value(at: 0) : nil
  }

  /// The row id of the last insert (`sqlite3_last_insert_rowid`).
  public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

  /// Rows changed by the last statement (`sqlite3_changes64`).
  public var changes: Int { Int(sqlite3_changes64(handle)) }

  /// Whether a transaction is open (`sqlite3_get_autocommit` is 0).
  public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

  // MARK: - Transactions

  /// Runs `body` in a transaction: committed when `body` returns, rolled back
  /// when it throws, so its writes are all recorded or all absent.
  ///
  /// Write transactions use `.immediate`. Inside an open transaction the body
  /// runs in a `SAVEPOINT` instead.
  public func transaction<Result>(
    _ kind: TransactionKind = .immediate,
    _ body: () throws(TrackingError) -> Result
  ) throws(TrackingError) -> Result {
    if isInTransaction { return try savepoint(body) }
    try execute(kind == .immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      // SQLite rolls back by itself after some errors (SQLITE_FULL among them).
      if isInTransaction { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
      throw error
    }
  }

  private func savepoint<Result>(
    _ body: () throws(TrackingError) -> Result
  ) throws(TrackingError) -> Result {
    savepoints += 1
    defer { savepoints -= 1 }
    let name = "nested\(savepoints)"
    try execute("SAVEPOINT \(name)")
    do {
      let result = try body()
      try execute("RELEASE \(name)")
      return result
    } catch {
      if isInTransaction {
        _ = sqlite3_exec(handle, "ROLLBACK TO \(name); RELEASE \(name)", nil, nil, nil)
      }
      throw error
    }
  }

  // MARK: - Limits and checks

  /// Caps the file at `pages` pages (`PRAGMA max_page_count`, for this
  /// connection only); writes past it fail with ``TrackingError/full(path:sql:)``.
  /// SQLite never sets the cap below the current page count.
  public func limitSize(toPages pages: Int) throws(TrackingError) {
    try execute("PRAGMA max_page_count = \(max(1, pages))")
  }

  /// The problems `PRAGMA integrity_check` (or, when `quick`, the cheaper
  /// `quick_check`) finds; empty when the file is sound.
  public func integrityProblems(quick: Bool = false) throws(TrackingError) -> [String] {
    let lines = try rows(quick ? "PRAGMA quick_check" : "PRAGMA integrity_check").compactMap {
      $0.values.first.flatMap(String.init(sqlValue:))
    }
    return lines == ["ok"] ? [] : lines
  }

  // MARK: - Errors

  /// The error for result `code` of the last call on `database`, with the
  /// `sqlite3_errmsg` text and the SQL.
  func error(code: Int32, sql: String?) -> TrackingError {
    Self.error(code: code, database: handle, path: path, sql: sql)
  }

  /// The error for result `code`: disk-full, corruption, not-a-database,
  /// read-only and cannot-open failures get their own cases, naming the file.
  static func error(
    code: Int32, database: OpaquePointer?, path: String, sql: String?
  ) -> TrackingError {
    let message =
      database.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
      ?? String(cString: sqlite3_errstr(code))
    let systemErrno = database.map { sqlite3_system_errno($0) } ?? 0
    let system = systemErrno == 0 ? "" : ": " + String(cString: strerror(systemErrno))
    switch code & 0xff {
    case SQLITE_FULL: return .full(path: path, sql: sql)
    case SQLITE_CORRUPT: return .corrupt(path: path, detail: message)
    case SQLITE_NOTADB: return .notADatabase(path: path)
    case SQLITE_READONLY: return .readOnly(path: path, detail: message)
    case SQLITE_CANTOPEN:
      if [EACCES, EPERM, EROFS].contains(systemErrno) {
        return .readOnly(path: path, detail: message + system)
      }
      return .cannotOpen(path: path, detail: message + system)
    default:
      return .sqlite(path: path, code: code, message: message, sql: sql)
    }
  }

  // MARK: - Private

  /// Says why a file could not be opened when SQLite only says "unable to
  /// open": its folder is missing, or the folder or file cannot be written
  /// (`access(2)`, which also sees immutable files and read-only mounts).
  private static func explainOpenFailure(
    _ error: TrackingError, path: String, access: Access
  ) -> TrackingError {
    guard case .cannotOpen = error else { return error }
    let folder = (path as NSString).deletingLastPathComponent
    var isFolder: ObjCBool = false
    let folderPath = folder.isEmpty ? "." : folder
    guard FileManager.default.fileExists(atPath: folderPath, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      return .cannotOpen(path: path, detail: "the folder \(folderPath) does not exist")
    }
    guard access == .readWrite else { return error }
    for target in [folderPath, path] where FileManager.default.fileExists(atPath: target) {
      if Glibc.access(target, W_OK) != 0 {
        return .readOnly(
          path: path, detail: "\(target) is not writable: \(String(cString: strerror(errno)))")
      }
    }
    return error
  }

  private func configure() throws(TrackingError) {
    if access == .readWrite {
      if sqlite3_db_readonly(handle, "main") == 1 {
        throw .readOnly(path: path, detail: "the file cannot be opened for writing")
      }
      let mode = try scalar("PRAGMA journal_mode = WAL").flatMap(String.init(sqlValue:))
      guard mode == "wal" else {
        throw .readOnly(
          path: path,
          detail: "cannot switch to the WAL journal (mode stays \(mode ?? "unknown")); "
            + "the folder must allow creating \(path)-wal")
      }
      try execute("PRAGMA synchronous = NORMAL")
    } else {
      try execute("PRAGMA query_only = 1")
    }
    try execute("PRAGMA foreign_keys = ON")
  }
}
