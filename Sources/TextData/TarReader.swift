import Foundation

/// Streams the regular files of a gzip-compressed tar archive (POSIX ustar,
/// with GNU long names `L` and pax `path` records), one member at a time.
final class TarReader {
  /// A regular file of the archive.
  struct Member {
    /// Path inside the archive, `/`-separated.
    var name: String
    /// The file's bytes.
    var contents: [UInt8]
  }

  private let file: String
  private let gzip: GzipReader
  private var buffer = [UInt8]()
  private var position = 0
  /// Bytes of the tar stream consumed before `buffer`, for error offsets.
  private var consumed = 0
  private var members = 0
  private var ended = false
  private let zeros = [UInt8](repeating: 0, count: 512)

  /// Opens the `.tar.gz` at `url`.
  init(url: URL) throws(TextDataError) {
    file = url.path
    gzip = try GzipReader(url: url)
  }

  /// The next regular file, or nil after the last.
  ///
  /// - Throws: `emptyArchive` when the archive has no members at all,
  ///   `malformedTar` for a bad header or an archive cut inside a member,
  ///   and the gzip errors of `GzipReader`.
  func next() throws(TextDataError) -> Member? {
    var longName: String?
    while !ended {
      let offset = consumed + position
      guard let header = try take(512) else {
        guard buffer.count == position else {
          throw .malformedTar(
            file: file, offset: offset, reason: "archive ends inside a header")
        }
        return try finish()
      }
      if header == zeros {
        return try finish()
      }
      try verifyChecksum(header, offset: offset)
      let size = try number(header, 124, 12, offset: offset)
      let type = header[156]
      var name = longName ?? headerName(header)
      longName = nil
      members += 1
      guard let contents = try take(size),
        try take((512 - size % 512) % 512) != nil
      else {
        throw .malformedTar(
          file: file, offset: offset,
          reason: "archive ends inside member '\(name)'")
      }
      switch type {
      case UInt8(ascii: "L"):
        longName = cString(contents[...])
      case UInt8(ascii: "x"):
        if let path = paxPath(contents) { longName = path }
      case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
        if name.hasPrefix("./") { name.removeFirst(2) }
        return Member(name: name, contents: contents)
      default:
        continue  // folders, links, global pax headers: no file contents
      }
    }
    return nil
  }

  private func finish() throws(TextDataError) -> Member? {
    ended = true
    if members == 0 { throw .emptyArchive(file: file) }
    return nil
  }

  // MARK: - Header fields

  private func headerName(_ header: [UInt8]) -> String {
    let name = cString(header[0..<100])
    let isUstar = header[257..<262].elementsEqual("ustar".utf8)
    let prefix = isUstar ? cString(header[345..<500]) : ""
    return prefix.isEmpty ? name : prefix + "/" + name
  }

  private func cString(_ bytes: ArraySlice<UInt8>) -> String {
    let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
    return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
  }

  /// An octal field, or GNU base-256 when its first byte has the high bit.
  private func number(
    _ header: [UInt8], _ start: Int, _ length: Int, offset: Int
  ) throws(TextDataError) -> Int {
    let field = header[start..<start + length]
    if let first = field.first, first & 0x80 != 0 {
      var value = Int(first & 0x7f)
      for byte in field.dropFirst() { value = value << 8 | Int(byte) }
      return value
    }
    var value = 0
    var digits = 0
    for byte in field {
      if byte == 0 || byte == 0x20 {
        if digits > 0 { break } else { continue }
      }
      guard (0x30...0x37).contains(byte) else {
        throw .malformedTar(
          file: file, offset: offset + start,
          reason: "expected an octal number in the header")
      }
      value = value * 8 + Int(byte - 0x30)
      digits += 1
    }
    return value
  }

  private func verifyChecksum(
    _ header: [UInt8], offset: Int
  ) throws(TextDataError) {
    let stored = try number(header, 148, 8, offset: offset)
    var sum = 8 * 0x20  // the checksum field counts as spaces
    header.withUnsafeBufferPointer { header in
      for index in 0..<148 { sum += Int(header[index]) }
      for index in 156..<512 { sum += Int(header[index]) }
    }
    guard sum == stored else {
      throw .malformedTar(
        file: file, offset: offset,
        reason: "header checksum \(stored) does not match \(sum)")
    }
  }

  /// The `path` of a pax extended header (`LENGTH path=VALUE\n` records).
  private func paxPath(_ contents: [UInt8]) -> String? {
    let text = String(decoding: contents, as: UTF8.self)
    for record in text.split(separator: "\n") {
      guard let space = record.firstIndex(of: " ") else { continue }
      let field = record[record.index(after: space)...]
      if field.hasPrefix("path=") { return String(field.dropFirst(5)) }
    }
    return nil
  }

  // MARK: - Buffering

  /// The next `count` bytes of the tar stream, or nil when it ends first
  /// (`count` 0 always gives an empty array).
  private func take(_ count: Int) throws(TextDataError) -> [UInt8]? {
    while buffer.count - position < count {
      guard let chunk = try gzip.next() else { return nil }
      if position > 0 {
        buffer.removeFirst(position)
        consumed += position
        position = 0
      }
      buffer.append(contentsOf: chunk)
    }
    let bytes = Array(buffer[position..<position + count])
    position += count
    return bytes
  }
}
