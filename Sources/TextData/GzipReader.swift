import CZlib
import Foundation

/// Streams the decompressed bytes of a gzip file (RFC 1952) through zlib's
/// `inflate`, one chunk at a time; concatenated gzip members are read as one
/// stream, as `gunzip` does.
final class GzipReader {
  private let file: String
  private let handle: FileHandle
  private let stream: UnsafeMutablePointer<z_stream>
  private var input = [UInt8]()
  private var output = [UInt8](repeating: 0, count: 1 << 20)
  private var finished = false
  private var inputEnded = false
  private var memberEnded = false

  /// Opens `url` and checks the gzip magic bytes; an empty file is an
  /// archive with no members.
  init(url: URL) throws(TextDataError) {
    file = url.path
    do {
      handle = try FileHandle(forReadingFrom: url)
    } catch {
      throw .unreadable(file: url.path, reason: describe(error))
    }
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // 15 + 16: a 32 KiB window and a gzip (not zlib) header.
    let status = inflateInit2_(
      stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      stream.deallocate()
      try? handle.close()
      throw .corruptGzip(file: url.path, reason: "inflateInit2 failed")
    }
    try refill()
    if input.isEmpty {
      finished = true
    } else if input.count < 2 || input[0] != 0x1f || input[1] != 0x8b {
      throw .notGzip(file: file)
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
    try? handle.close()
  }

  /// The next decompressed bytes, or nil at the end of the stream.
  ///
  /// - Throws: `truncatedGzip` when the file ends inside a member,
  ///   `corruptGzip` when zlib rejects the data.
  func next() throws(TextDataError) -> ArraySlice<UInt8>? {
    while !finished {
      if stream.pointee.avail_in == 0 {
        if memberEnded {
          // Bytes after a member's end begin another member, else the end.
          try refill()
          if input.isEmpty {
            finished = true
            return nil
          }
          inflateReset(stream)
          memberEnded = false
        } else {
          try refill()
          if input.isEmpty { throw .truncatedGzip(file: file) }
        }
      }
      let produced = try inflateChunk()
      if produced > 0 { return output[0..<produced] }
    }
    return nil
  }

  /// Runs `inflate` on the pending input; returns the bytes produced.
  private func inflateChunk() throws(TextDataError) -> Int {
    let consumedBefore = Int(stream.pointee.avail_in)
    let (status, produced, remaining) = input.withUnsafeMutableBufferPointer {
      input in
      output.withUnsafeMutableBufferPointer { output in
        let offset = input.count - consumedBefore
        stream.pointee.next_in = input.baseAddress.map { $0 + offset }
        stream.pointee.next_out = output.baseAddress
        stream.pointee.avail_out = UInt32(output.count)
        let status = inflate(stream, Z_NO_FLUSH)
        let produced = output.count - Int(stream.pointee.avail_out)
        return (status, produced, Int(stream.pointee.avail_in))
      }
    }
    stream.pointee.next_in = nil
    stream.pointee.avail_in = UInt32(remaining)
    switch status {
    case Z_OK:
      return produced
    case Z_STREAM_END:
      memberEnded = true
      if remaining > 0 {
        // Another member follows in the same buffer.
        input.removeFirst(input.count - remaining)
        guard input.count >= 2, input[0] == 0x1f, input[1] == 0x8b else {
          // Trailing bytes that are not a member: gzip ignores zeros.
          if input.allSatisfy({ $0 == 0 }) {
            stream.pointee.avail_in = 0
            return produced
          }
          throw .corruptGzip(file: file, reason: "trailing garbage")
        }
        inflateReset(stream)
        memberEnded = false
      }
      return produced
    case Z_BUF_ERROR where produced > 0:
      return produced
    case Z_BUF_ERROR:
      if inputEnded { throw .truncatedGzip(file: file) }
      return 0
    default:
      let message = stream.pointee.msg.map { String(cString: $0) }
      throw .corruptGzip(file: file, reason: message ?? "zlib error \(status)")
    }
  }

  /// Replaces the input with the next chunk of the file (empty at its end).
  private func refill() throws(TextDataError) {
    do {
      let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
      input = [UInt8](chunk)
    } catch {
      throw .unreadable(file: file, reason: describe(error))
    }
    inputEnded = input.isEmpty
    stream.pointee.avail_in = UInt32(input.count)
  }
}
