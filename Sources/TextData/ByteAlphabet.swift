/// GPT-2's byte-to-unicode table: each of the 256 byte values stands for one
/// printable Unicode scalar, so that byte-level tokens are readable strings
/// without spaces or control characters (the space byte is `Ġ`, U+0120).
///
/// Printable Latin-1 bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves;
/// the other 68 bytes, in increasing order, take U+0100, U+0101, … . The
/// order of `bytesInTokenOrder` is the order of GPT-2's first 256 token ids.
public enum ByteAlphabet {
  /// The 256 bytes in GPT-2's id order: printable bytes first, then the rest.
  public static let bytesInTokenOrder: [UInt8] = {
    let printable = Array(0x21...0x7e) + Array(0xa1...0xac) + Array(0xae...0xff)
    let rest = (0...255).filter { !printable.contains($0) }
    return (printable + rest).map { UInt8($0) }
  }()

  /// The scalar that stands for each byte; indexed by byte value.
  public static let scalarForByte: [Unicode.Scalar] = {
    var table = [Unicode.Scalar](repeating: " ", count: 256)
    var next: UInt32 = 0x100
    for byte in 0...255 {
      let printable =
        (0x21...0x7e).contains(byte) || (0xa1...0xac).contains(byte)
        || (0xae...0xff).contains(byte)
      if printable {
        table[byte] = Unicode.Scalar(UInt8(byte))
      } else {
        table[byte] = Unicode.Scalar(next) ?? " "
        next += 1
      }
    }
    return table
  }()

  /// The byte a scalar stands for, or nil when it stands for none.
  public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
    let value = scalar.value
    if value < 0x100 {
      let printable =
        (0x21...0x7e).contains(value) || (0xa1...0xac).contains(value)
        || (0xae...0xff).contains(value)
      return printable ? UInt8(value) : nil
    }
    guard value < 0x100 + 68 else { return nil }
    return nonPrintableBytes[Int(value - 0x100)]
  }

  /// The readable form of `bytes`: one scalar per byte.
  public static func token(for bytes: some Sequence<UInt8>) -> String {
    var scalars = String.UnicodeScalarView()
    for byte in bytes { scalars.append(scalarForByte[Int(byte)]) }
    return String(scalars)
  }

  /// The bytes a readable token stands for, or nil when a scalar of it
  /// stands for no byte.
  public static func bytes(for token: String) -> [UInt8]? {
    var bytes = [UInt8]()
    bytes.reserveCapacity(token.unicodeScalars.count)
    for scalar in token.unicodeScalars {
      guard let byte = byte(for: scalar) else { return nil }
      bytes.append(byte)
    }
    return bytes
  }

  private static let nonPrintableBytes: [UInt8] =
    Array(bytesInTokenOrder[188...])
}
