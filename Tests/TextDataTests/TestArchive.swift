/// Builds small `.tar.gz` files in tests: ustar headers by hand and gzip
/// with stored (uncompressed) deflate blocks and a CRC-32 trailer.
enum TestArchive {
  /// A tar stream of regular files, ending in two zero blocks.
  static func tar(_ files: [(name: String, contents: [UInt8])]) -> [UInt8] {
    var bytes = [UInt8]()
    for (name, contents) in files {
      var header = [UInt8](repeating: 0, count: 512)
      put(Array(name.utf8), at: 0, in: &header)
      put(Array("0000644\0".utf8), at: 100, in: &header)
      let size = String(contents.count, radix: 8)
      let field = String(repeating: "0", count: 11 - size.count) + size
      put(Array(field.utf8), at: 124, in: &header)
      put(Array("00000000000\0".utf8), at: 136, in: &header)
      header[156] = UInt8(ascii: "0")
      put(Array("ustar\0".utf8) + Array("00".utf8), at: 257, in: &header)
      put(Array(repeating: 0x20, count: 8), at: 148, in: &header)
      let sum = header.reduce(0) { $0 + Int($1) }
      let digits = String(sum, radix: 8)
      let checksum = String(repeating: "0", count: 6 - digits.count) + digits
      put(Array(checksum.utf8) + [0, 0x20], at: 148, in: &header)
      bytes += header + contents
      bytes += [UInt8](repeating: 0, count: (512 - contents.count % 512) % 512)
    }
    return bytes + [UInt8](repeating: 0, count: 1024)
  }

  /// `data` as a gzip member with stored deflate blocks.
  static func gzip(_ data: [UInt8]) -> [UInt8] {
    var bytes: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
    var offset = 0
    repeat {
      let count = min(65_535, data.count - offset)
      let final = offset + count == data.count
      bytes.append(final ? 1 : 0)
      bytes += littleEndian(UInt32(count), width: 2)
      bytes += littleEndian(UInt32(~UInt16(count)), width: 2)
      bytes += data[offset..<offset + count]
      offset += count
    } while offset < data.count
    bytes += littleEndian(crc32(data), width: 4)
    bytes += littleEndian(UInt32(truncatingIfNeeded: data.count), width: 4)
    return bytes
  }

  private static func put(_ field: [UInt8], at offset: Int, in header: inout [UInt8]) {
    header.replaceSubrange(offset..<offset + field.count, with: field)
  }

  private static func littleEndian(_ value: UInt32, width: Int) -> [UInt8] {
    (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  private static func crc32(_ data: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in data {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
    }
    return ~crc
  }
}
