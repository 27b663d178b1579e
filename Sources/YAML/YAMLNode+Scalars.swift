/// Typing of scalars by the YAML 1.2 core schema.
///
/// Plain (unquoted) scalars are typed by their text: `~`, `null` and the
/// empty scalar are null; `true`/`false` (also capitalised or upper case) are
/// booleans; `42`, `-7`, `0x1F`, `0o17` are integers; `0.95`, `1.41e-5`,
/// `1e4`, `.inf`, `.nan` are floats. Quoted and block scalars are always
/// strings, so `seed: "1"` is the string `1`, not the integer 1.
extension YAMLNode {
  /// The type of a scalar under the core schema.
  public enum ScalarType: Sendable, Equatable {
    case null, bool, int, float, string
  }

  /// The core-schema type of the node when it is a scalar, else nil.
  public var scalarType: ScalarType? {
    guard case .scalar(let text, let plain) = content else { return nil }
    guard plain else { return .string }
    if Self.isNull(text) { return .null }
    if Self.parseBool(text) != nil { return .bool }
    if Self.isIntLiteral(text) { return .int }
    if Self.parseFloat(text) != nil { return .float }
    return .string
  }

  /// True for a null scalar (`~`, `null`, or nothing after the colon).
  public var isNull: Bool { scalarType == .null }

  /// What the node is, for error messages: `string "1"`, `float 1.5`,
  /// `integer 3`, `boolean true`, `null`, `a list`, `a mapping`.
  public var kindDescription: String {
    switch content {
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    case .scalar(let text, _):
      switch scalarType {
      case .null: return "null"
      case .bool: return "boolean \(text)"
      case .int: return "integer \(text)"
      case .float: return "float \(text)"
      case .string, nil: return "string \"\(text)\""
      }
    }
  }

  // MARK: - Typed values

  /// The scalar as an integer.
  ///
  /// - Throws: `YAMLError.typeMismatch` unless the node is a plain integer
  ///   scalar that fits in `Int` (a float such as `1.0` is refused).
  public func int() throws(YAMLError) -> Int {
    guard scalarType == .int, let text = scalarText else {
      throw .typeMismatch(
        expected: "an integer", got: kindDescription, at: mark)
    }
    guard let value = Self.parseInt(text) else {
      throw .typeMismatch(
        expected: "an integer of at most 64 bits", got: kindDescription,
        at: mark)
    }
    return value
  }

  /// The scalar as a float; integers are accepted and converted.
  ///
  /// - Throws: `YAMLError.typeMismatch` unless the node is a plain integer or
  ///   float scalar.
  public func double() throws(YAMLError) -> Double {
    guard let text = scalarText else {
      throw .typeMismatch(expected: "a number", got: kindDescription, at: mark)
    }
    switch scalarType {
    case .int:
      if let value = Self.parseInt(text) { return Double(value) }
      if let value = Double(text) { return value }
    case .float:
      if let value = Self.parseFloat(text) { return value }
    default: break
    }
    throw .typeMismatch(expected: "a number", got: kindDescription, at: mark)
  }

  /// The scalar as a boolean.
  ///
  /// - Throws: `YAMLError.typeMismatch` unless the node is a plain `true` or
  ///   `false` (in any of the core schema's spellings).
  public func bool() throws(YAMLError) -> Bool {
    guard scalarType == .bool, let text = scalarText,
      let value = Self.parseBool(text)
    else {
      throw .typeMismatch(expected: "a boolean", got: kindDescription, at: mark)
    }
    return value
  }

  /// The scalar's text, whatever its core-schema type, except null.
  ///
  /// - Throws: `YAMLError.typeMismatch` for null, lists and mappings.
  public func string() throws(YAMLError) -> String {
    guard let text = scalarText, scalarType != .null else {
      throw .typeMismatch(expected: "a string", got: kindDescription, at: mark)
    }
    return text
  }

  // MARK: - Core schema

  static func isNull(_ text: String) -> Bool {
    ["", "~", "null", "Null", "NULL"].contains(text)
  }

  static func parseBool(_ text: String) -> Bool? {
    switch text {
    case "true", "True", "TRUE": true
    case "false", "False", "FALSE": false
    default: nil
    }
  }

  /// `[-+]?[0-9]+`, `0x[0-9a-fA-F]+` or `0o[0-7]+`, whatever its size.
  static func isIntLiteral(_ text: String) -> Bool {
    func all(_ body: Substring, radix: Int) -> Bool {
      !body.isEmpty
        && body.allSatisfy {
          $0.isASCII && $0.hexDigitValue.map { $0 < radix } == true
        }
    }
    if text.hasPrefix("0x") { return all(text.dropFirst(2), radix: 16) }
    if text.hasPrefix("0o") { return all(text.dropFirst(2), radix: 8) }
    let signed = text.first.map { "+-".contains($0) } == true
    return all(signed ? text.dropFirst() : Substring(text), radix: 10)
  }

  static func parseInt(_ text: String) -> Int? {
    guard isIntLiteral(text) else { return nil }
    if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
    if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
    return Int(text)
  }

  static func parseFloat(_ text: String) -> Double? {
    var body = Substring(text)
    var sign = 1.0
    if let first = body.first, "+-".contains(first) {
      sign = first == "-" ? -1 : 1
      body = body.dropFirst()
    }
    switch body {
    case ".inf", ".Inf", ".INF": return sign * .infinity
    case ".nan", ".NaN", ".NAN": return text == body ? .nan : nil
    default: break
    }
    guard isDecimalFloat(body) else { return nil }
    return Double(text)
  }

  /// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float.
  private static func isDecimalFloat(_ text: Substring) -> Bool {
    let bytes = Array(text.utf8)
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
      return index - start
    }
    let whole = digits()
    var fraction = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      fraction = digits()
    }
    guard whole > 0 || fraction > 0 else { return false }
    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
        index += 1
      }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}
