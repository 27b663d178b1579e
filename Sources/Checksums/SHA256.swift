import COpenSSL
import Foundation

/// An incremental SHA-256 digest (FIPS 180-4), computed by OpenSSL's EVP
/// interface (`EVP_DigestInit_ex`, `EVP_DigestUpdate`, `EVP_DigestFinal_ex`).
///
/// Used for content hashes everywhere in rarlhf: run identities, data file
/// checksums, checkpoint and tokenizer hashes.
public final class SHA256 {
  private let context: OpaquePointer

  /// Starts an empty digest.
  public init() {
    guard let context = EVP_MD_CTX_new() else {
      preconditionFailure("EVP_MD_CTX_new failed: out of memory")
    }
    self.context = context
    let started = EVP_DigestInit_ex(context, EVP_sha256(), nil)
    precondition(started == 1, "EVP_DigestInit_ex(sha256) failed")
  }

  deinit { EVP_MD_CTX_free(context) }

  /// Adds `bytes` to the digest.
  public func update<Bytes: ContiguousBytes>(_ bytes: Bytes) {
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
      let added = EVP_DigestUpdate(context, base, buffer.count)
      precondition(added == 1, "EVP_DigestUpdate failed")
    }
  }

  /// Adds the UTF-8 bytes of `text` to the digest.
  public func update(_ text: String) {
    update(Array(text.utf8))
  }

  /// Finishes the digest and returns its 32 bytes; the hasher is then spent.
  public func finish() -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    var length: UInt32 = 0
    let finished = EVP_DigestFinal_ex(context, &digest, &length)
    precondition(finished == 1 && length == 32, "EVP_DigestFinal_ex failed")
    return digest
  }

  /// Finishes the digest and returns it as 64 lowercase hexadecimal digits.
  public func finishHex() -> String {
    finish().hexString
  }

  /// The hex SHA-256 of `bytes`.
  public static func hex<Bytes: ContiguousBytes>(of bytes: Bytes) -> String {
    let hasher = SHA256()
    hasher.update(bytes)
    return hasher.finishHex()
  }

  /// The hex SHA-256 of the UTF-8 bytes of `text`.
  public static func hex(of text: String) -> String {
    hex(of: Array(text.utf8))
  }

  /// The hex SHA-256 of a file's contents, read in 1 MiB chunks.
  ///
  /// - Throws: `ChecksumError.unreadable` naming the file when it cannot be
  ///   opened or read.
  public static func hex(ofFileAt url: URL) throws(ChecksumError) -> String {
    guard let handle = try? FileHandle(forReadingFrom: url) else {
      throw .unreadable(path: url.path)
    }
    defer { try? handle.close() }
    let hasher = SHA256()
    while true {
      let chunk: Data?
      do {
        chunk = try handle.read(upToCount: 1 << 20)
      } catch {
        throw .unreadable(path: url.path)
      }
      guard let chunk, !chunk.isEmpty else { break }
      hasher.update(chunk)
    }
    return hasher.finishHex()
  }
}

/// Why a checksum could not be computed.
public enum ChecksumError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(path: String)

  public var description: String {
    switch self {
    case .unreadable(let path): "cannot read '\(path)' to checksum it"
    }
  }
}

extension Array where Element == UInt8 {
  /// The bytes as lowercase hexadecimal digits, two per byte.
  public var hexString: String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(count * 2)
    for byte in self {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
