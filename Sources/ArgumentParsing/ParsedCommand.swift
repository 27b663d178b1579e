/// The result of parsing a command line against a `CommandSpec` tree.
public struct ParsedCommand: Sendable, Equatable {
  /// The command words from the root's subcommand down (`["sweep", "run"]`).
  public var path: [String]
  /// Option values by long name, in the order given; flags map to `[""]`.
  public var options: [String: [String]]
  /// Positional values by positional name, in order.
  public var positionals: [String: [String]]
  /// `key=value` overrides in the order given.
  public var overrides: [Override]
  /// Whether `--help` or `-h` was given; the other fields are then partial.
  public var helpRequested: Bool

  /// Creates a parse result; mostly used by the parser and by tests.
  public init(
    path: [String] = [], options: [String: [String]] = [:],
    positionals: [String: [String]] = [:], overrides: [Override] = [],
    helpRequested: Bool = false
  ) {
    self.path = path
    self.options = options
    self.positionals = positionals
    self.overrides = overrides
    self.helpRequested = helpRequested
  }

  /// Whether the flag `name` was given.
  public func flag(_ name: String) -> Bool {
    options[name] != nil
  }

  /// The last value given for option `name`, if any.
  public func value(_ name: String) -> String? {
    options[name]?.last
  }

  /// Every value given for option `name`, splitting comma-separated lists
  /// (`--plots pdf,svg --plots png` gives `["pdf", "svg", "png"]`).
  public func list(_ name: String) -> [String] {
    (options[name] ?? []).flatMap { $0.split(separator: ",").map(String.init) }
  }

  /// The single value of positional `name`, if given.
  public func positional(_ name: String) -> String? {
    positionals[name]?.first
  }

  /// Every value of the variadic positional `name`.
  public func positionalList(_ name: String) -> [String] {
    positionals[name] ?? []
  }

  /// The value of option `name` as an integer within `range`.
  ///
  /// - Throws: `UsageError.invalidValue` naming the option, the value and the
  ///   allowed range.
  public func integer(
    _ name: String, in range: ClosedRange<Int>
  ) throws(UsageError) -> Int? {
    guard let text = value(name) else { return nil }
    guard let number = Int(text), range.contains(number) else {
      throw .invalidValue(
        option: name, value: text,
        allowed: "an integer from \(range.lowerBound) to \(range.upperBound)")
    }
    return number
  }
}

/// A `key=value` word from the command line.
public struct Override: Sendable, Equatable, CustomStringConvertible {
  /// The dotted key (`risk.alpha`).
  public var key: String
  /// The value as typed (`0.2`).
  public var value: String

  /// Creates an override.
  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }

  public var description: String { "\(key)=\(value)" }
}
