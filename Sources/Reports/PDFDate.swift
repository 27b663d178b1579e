import Foundation

/// Rewrites the clock-dependent dates of a PDF to a fixed date.
enum PDFDate {
  /// The replacement: `D:19700101000000Z`, as long as cairo's own dates.
  static let fixed = Array("D:19700101000000Z".utf8)

  /// Replaces each `/CreationDate (D:…Z)` and `/ModDate (D:…Z)` value of
  /// the form `D:YYYYMMDDHHMMSSZ` by `fixed`, byte for byte in place, so
  /// the file keeps its length and its cross-reference table stays valid.
  static func normalise(_ data: inout Data) {
    for key in ["/CreationDate (", "/ModDate ("] {
      let pattern = Array(key.utf8)
      var bytes = [UInt8](data)
      var index = 0
      while let found = find(pattern, in: bytes, from: index) {
        let start = found + pattern.count
        let end = start + fixed.count
        if end <= bytes.count, isCairoDate(bytes[start..<end]) {
          bytes.replaceSubrange(start..<end, with: fixed)
        }
        index = start
      }
      data = Data(bytes)
    }
  }

  /// `D:` then 14 digits then `Z`.
  private static func isCairoDate(_ bytes: ArraySlice<UInt8>) -> Bool {
    let text = Array(bytes)
    guard text.count == 17, text[0] == UInt8(ascii: "D"),
      text[1] == UInt8(ascii: ":"), text[16] == UInt8(ascii: "Z")
    else { return false }
    return text[2..<16].allSatisfy { (48...57).contains($0) }
  }

  private static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
    guard pattern.count <= bytes.count else { return nil }
    var index = start
    while index + pattern.count <= bytes.count {
      if bytes[index] == pattern[0], Array(bytes[index..<index + pattern.count]) == pattern {
        return index
      }
      index += 1
    }
    return nil
  }
}
