/// The values a configuration key allows.
public enum ConfigurationDomain: Sendable, Equatable {
  /// An interval of the real line, each end open, closed, or absent.
  public struct Interval: Sendable, Equatable, CustomStringConvertible {
    /// The lower end, or nil for none.
    public var lower: Double?
    /// Whether the lower end is excluded.
    public var lowerOpen: Bool
    /// The upper end, or nil for none.
    public var upper: Double?
    /// Whether the upper end is excluded.
    public var upperOpen: Bool

    /// (0, 1]
    public static let unitOpenClosed = Interval(
      lower: 0, lowerOpen: true, upper: 1, upperOpen: false)
    /// [0, 1]
    public static let unit = Interval(
      lower: 0, lowerOpen: false, upper: 1, upperOpen: false)
    /// (0, ∞)
    public static let positive = Interval(
      lower: 0, lowerOpen: true, upper: nil, upperOpen: true)
    /// [0, ∞)
    public static let nonNegative = Interval(
      lower: 0, lowerOpen: false, upper: nil, upperOpen: true)
    /// Every finite number.
    public static let finite = Interval(
      lower: nil, lowerOpen: true, upper: nil, upperOpen: true)

    /// Whether `value` is finite and inside the interval.
    public func contains(_ value: Double) -> Bool {
      guard value.isFinite else { return false }
      if let lower, lowerOpen ? value <= lower : value < lower { return false }
      if let upper, upperOpen ? value >= upper : value > upper { return false }
      return true
    }

    /// `(0, 1]`, `> 0`, `≥ 0`, or `any finite number`.
    public var description: String {
      switch (lower, upper) {
      case (let lower?, let upper?):
        "\(lowerOpen ? "(" : "[")\(Self.bound(lower)), "
          + "\(Self.bound(upper))\(upperOpen ? ")" : "]")"
      case (let lower?, nil): "\(lowerOpen ? ">" : "≥") \(Self.bound(lower))"
      case (nil, let upper?): "\(upperOpen ? "<" : "≤") \(Self.bound(upper))"
      case (nil, nil): "any finite number"
      }
    }

    /// An end as people write it: `0`, `1`, `0.5`.
    private static func bound(_ value: Double) -> String {
      value == value.rounded() && abs(value) < 1e15
        ? String(Int(value)) : ConfigurationValue.format(value)
    }
  }

  /// Integers in `min...max`.
  case integer(min: Int, max: Int)
  /// Integers in `min...max`, or the word `none` (or YAML null) for "not
  /// set", stored as nil.
  case optionalInteger(min: Int, max: Int, none: String)
  /// Finite reals in the interval.
  case real(Interval)
  /// `true` or `false`.
  case boolean
  /// One of the names.
  case choice([String])

  /// The type as `--help` prints it: `int`, `int|all`, `float`, `bool`,
  /// `choice`.
  public var typeName: String {
    switch self {
    case .integer: "int"
    case .optionalInteger(_, _, let none): "int|\(none)"
    case .real: "float"
    case .boolean: "bool"
    case .choice: "choice"
    }
  }

  /// What is allowed, as error messages print it: `integers ≥ 1`,
  /// `(0, 1]`, `true or false`, `imdb, jigsaw, realtoxicityprompts`.
  public var allowed: String {
    switch self {
    case .integer(let min, let max): Self.integers(min, max)
    case .optionalInteger(let min, let max, let none):
      "\(Self.integers(min, max)), or \(none)"
    case .real(let interval): interval.description
    case .boolean: "true or false"
    case .choice(let names): names.joined(separator: ", ")
    }
  }

  private static func integers(_ min: Int, _ max: Int) -> String {
    max == Int.max ? "integers ≥ \(min)" : "integers in [\(min), \(max)]"
  }
}
