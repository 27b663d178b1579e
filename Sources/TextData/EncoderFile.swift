/// Reads and writes `encoder.json`: one JSON object from readable token to
/// id, as OpenAI publishes it for GPT-2 (`{"!": 0, "\"": 1, …}`).
///
/// A small dedicated parser rather than a general JSON library, so errors
/// carry the line and column of the fault.
enum EncoderFile {
  /// The tokens of an encoder object, indexed by id.
  static func tokens(
    fromJSON bytes: [UInt8], file: String
  ) throws(TextDataError) -> [String] {
    var parser = Parser(bytes: bytes, file: file)
    let pairs = try parser.object()
    var tokens = [String?](repeating: nil, count: pairs.count)
    for (token, id) in pairs {
      guard id >= 0, id < pairs.count else {
        throw .badTokenIDs(
          file: file,
          reason: "id \(id) of '\(token)' is outside 0..<\(pairs.count)")
      }
      guard tokens[id] == nil else {
        throw .badTokenIDs(file: file, reason: "id \(id) is used twice")
      }
      tokens[id] = token
    }
    return tokens.map { $0 ?? "" }
  }

  /// The encoder object of `tokens` (indexed by id) in OpenAI's layout:
  /// `", "` and `": "` separators and non-ASCII escaped as `\uXXXX`.
  static func json(tokens: [String]) -> String {
    var text = "{"
    for (id, token) in tokens.enumerated() {
      if id > 0 { text += ", " }
      text += "\"" + escaped(token) + "\": " + String(id)
    }
    return text + "}"
  }

  private static func escaped(_ token: String) -> String {
    var text = ""
    for unit in token.utf16 {
      switch unit {
      case 0x22: text += "\\\""
      case 0x5c: text += "\\\\"
      case 0x0a: text += "\\n"
      case 0x0d: text += "\\r"
      case 0x09: text += "\\t"
      case 0x08: text += "\\b"
      case 0x0c: text += "\\f"
      case 0x20..<0x7f:
        text.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
      default:
        let hex = String(unit, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return text
  }

  // MARK: - Parsing

  private struct Parser {
    let bytes: [UInt8]
    let file: String
    var index = 0

    init(bytes: [UInt8], file: String) {
      self.bytes = bytes
      self.file = file
    }

    mutating func object() throws(TextDataError) -> [(String, Int)] {
      var pairs = [(String, Int)]()
      skipSpace()
      try expect(UInt8(ascii: "{"), "expected '{' to start the object")
      skipSpace()
      if peek() == UInt8(ascii: "}") {
        index += 1
      } else {
        while true {
          skipSpace()
          let key = try string()
          skipSpace()
          try expect(UInt8(ascii: ":"), "expected ':' after a key")
          skipSpace()
          pairs.append((key, try integer()))
          skipSpace()
          if peek() == UInt8(ascii: ",") {
            index += 1
            continue
          }
          try expect(UInt8(ascii: "}"), "expected ',' or '}'")
          break
        }
      }
      skipSpace()
      guard index == bytes.count else {
        throw failure("unexpected text after the object")
      }
      return pairs
    }

    private func peek() -> UInt8? {
      index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipSpace() {
      while let byte = peek(),
        byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09
      {
        index += 1
      }
    }

    private mutating func expect(
      _ byte: UInt8, _ reason: String
    ) throws(TextDataError) {
      guard peek() == byte else { throw failure(reason) }
      index += 1
    }

    private mutating func integer() throws(TextDataError) -> Int {
      let start = index
      if peek() == UInt8(ascii: "-") { index += 1 }
      while let byte = peek(), (0x30...0x39).contains(byte) { index += 1 }
      let digits = String(decoding: bytes[start..<index], as: UTF8.self)
      guard let value = Int(digits) else {
        index = start
        throw failure("expected an integer token id")
      }
      return value
    }

    private mutating func string() throws(TextDataError) -> String {
      try expect(UInt8(ascii: "\""), "expected a string key")
      var units = [UInt16]()
      var raw = [UInt8]()
      func flush() {
        units.append(contentsOf: String(decoding: raw, as: UTF8.self).utf16)
        raw.removeAll()
      }
      while true {
        guard let byte = peek() else {
          throw failure("string is never closed")
        }
        index += 1
        if byte == UInt8(ascii: "\"") { break }
        if byte != UInt8(ascii: "\\") {
          raw.append(byte)
          continue
        }
        flush()
        guard let escape = peek() else {
          throw failure("string is never closed")
        }
        index += 1
        switch escape {
        case UInt8(ascii: "\""): units.append(0x22)
        case UInt8(ascii: "\\"): units.append(0x5c)
        case UInt8(ascii: "/"): units.append(0x2f)
        case UInt8(ascii: "b"): units.append(0x08)
        case UInt8(ascii: "f"): units.append(0x0c)
        case UInt8(ascii: "n"): units.append(0x0a)
        case UInt8(ascii: "r"): units.append(0x0d)
        case UInt8(ascii: "t"): units.append(0x09)
        case UInt8(ascii: "u"):
          guard index + 4 <= bytes.count,
            let unit = UInt16(
              String(decoding: bytes[index..<index + 4], as: UTF8.self),
              radix: 16)
          else { throw failure("expected four hex digits after \\u") }
          units.append(unit)
          index += 4
        default:
          index -= 1
          throw failure("unknown escape '\\\(Unicode.Scalar(escape))'")
        }
      }
      flush()
      guard let text = String(utf16CodeUnits: units) else {
        throw failure("string has an unpaired surrogate")
      }
      return text
    }

    private func failure(_ reason: String) -> TextDataError {
      var line = 1
      var column = 1
      for byte in bytes[..<min(index, bytes.count)] {
        if byte == 0x0a {
          line += 1
          column = 1
        } else {
          column += 1
        }
      }
      return .malformedJSON(
        file: file, line: line, column: column, reason: reason)
    }
  }
}

extension String {
  /// The string of UTF-16 `units`, or nil when a surrogate is unpaired.
  fileprivate init?(utf16CodeUnits units: [UInt16]) {
    var scalars = String.UnicodeScalarView()
    var iterator = units.makeIterator()
    var decoder = UTF16()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar): scalars.append(scalar)
      case .emptyInput: self = String(scalars); return
      case .error: return nil
      }
    }
  }
}
