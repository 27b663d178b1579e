/// The declared shape of one command: its options, positional arguments and
/// subcommands, from which the parser works and help is generated.
///
/// A command either has subcommands (and is then only a group, like
/// `rarlhf sweep`) or takes options and positionals (like `rarlhf sweep run`).
public struct CommandSpec: Sendable {
  /// The word that selects this command (`sweep`, `run`).
  public var name: String
  /// One sentence saying what the command does, shown in help.
  public var abstract: String
  /// Options accepted by this command (and by its subcommands).
  public var options: [OptionSpec]
  /// Positional arguments, in order.
  public var positionals: [PositionalSpec]
  /// Subcommands; empty for a leaf command.
  public var subcommands: [CommandSpec]
  /// Whether `key=value` words are collected as configuration overrides.
  public var acceptsOverrides: Bool
  /// Extra help text shown after the option list (examples, notes).
  public var discussion: String

  /// Declares a command.
  public init(
    name: String, abstract: String, options: [OptionSpec] = [],
    positionals: [PositionalSpec] = [], subcommands: [CommandSpec] = [],
    acceptsOverrides: Bool = false, discussion: String = ""
  ) {
    self.name = name
    self.abstract = abstract
    self.options = options
    self.positionals = positionals
    self.subcommands = subcommands
    self.acceptsOverrides = acceptsOverrides
    self.discussion = discussion
  }
}

/// One `--long` (and optionally `-s`) option.
public struct OptionSpec: Sendable, Equatable {
  /// How an option consumes the command line.
  public enum Kind: Sendable, Equatable {
    /// Present or absent; takes no value (`--quiet`).
    case flag
    /// Takes one value; given twice, the last one wins (`--jobs 2`).
    case single
    /// Takes one value each time; every occurrence is kept (`--plots pdf`).
    case repeated
  }

  /// The long name without dashes (`data` for `--data`).
  public var name: String
  /// The short letter without the dash, if any (`q` for `-q`).
  public var short: Character?
  /// What the option does, in one line of help.
  public var help: String
  /// Flag, single value or repeated value.
  public var kind: Kind
  /// The placeholder for the value in help (`DIR`).
  public var valueName: String

  /// Declares an option.
  public init(
    _ name: String, short: Character? = nil, kind: Kind = .single,
    valueName: String = "VALUE", help: String
  ) {
    self.name = name
    self.short = short
    self.help = help
    self.kind = kind
    self.valueName = valueName
  }

  /// A flag: an option that takes no value.
  public static func flag(
    _ name: String, short: Character? = nil, help: String
  ) -> OptionSpec {
    OptionSpec(name, short: short, kind: .flag, help: help)
  }
}

/// A positional argument.
public struct PositionalSpec: Sendable, Equatable {
  /// How many words a positional takes.
  public enum Arity: Sendable, Equatable {
    /// Exactly one word.
    case required
    /// Zero or one word.
    case optional
    /// Any number of words, at least `minimum`.
    case variadic(minimum: Int)
  }

  /// The placeholder shown in usage (`FILE`).
  public var name: String
  /// What it is, in one line of help.
  public var help: String
  /// How many words it takes.
  public var arity: Arity

  /// Declares a positional argument.
  public init(_ name: String, arity: Arity = .required, help: String) {
    self.name = name
    self.help = help
    self.arity = arity
  }
}
