/// A typed value of a configuration key.
public enum ConfigurationValue: Sendable, Hashable, CustomStringConvertible {
  /// An integer.
  case int(Int)
  /// A finite real.
  case real(Double)
  /// A boolean.
  case bool(Bool)
  /// A string (the raw value of a choice).
  case string(String)
  /// Not set (an optional count meaning "all" or "auto").
  case null

  /// The value as a person reads it: `30`, `0.4`, `1.41e-05`, `true`,
  /// `imdb`, `null`.
  public var description: String {
    switch self {
    case .int(let value): "\(value)"
    case .real(let value): Self.format(value)
    case .bool(let value): "\(value)"
    case .string(let value): value
    case .null: "null"
    }
  }

  /// The value as canonical JSON: integers in decimal, reals in Swift's
  /// shortest round-tripping form (always with `.` or an exponent, `-0`
  /// written as `0.0`), strings quoted and escaped, `null`.
  public var json: String {
    switch self {
    case .int(let value): "\(value)"
    case .real(let value): Self.format(value)
    case .bool(let value): "\(value)"
    case .null: "null"
    case .string(let value): Self.quoted(value)
    }
  }

  /// The shortest text that reads back as `value` (`0.95`, `1.41e-05`,
  /// `6.0`); negative zero is written as `0.0`.
  public static func format(_ value: Double) -> String {
    (value == 0 ? 0.0 : value).description
  }

  /// `text` as a JSON string literal.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
