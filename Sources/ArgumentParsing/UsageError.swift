/// A command line that does not fit the command's declared shape.
///
/// Each case carries the offending word and what is allowed; the executable
/// prints `error: <description>` and the usage, and exits with status 64.
public enum UsageError: Error, Equatable, CustomStringConvertible {
  /// An option that the command does not declare.
  case unknownOption(String, suggestion: String?)
  /// A subcommand word that the group does not declare.
  case unknownCommand(String, group: String, expected: [String])
  /// A group command given without one of its subcommands.
  case missingCommand(group: String, expected: [String])
  /// An option that needs a value, given without one.
  case missingValue(option: String, valueName: String)
  /// A flag given a value with `--flag=value`.
  case unexpectedValue(option: String)
  /// A required positional argument that is absent.
  case missingArgument(String)
  /// More positional words than the command takes.
  case unexpectedArgument(String)
  /// A `key=value` word for a command that takes none.
  case overridesNotAccepted(String)
  /// A `key=value` word whose key is empty.
  case malformedOverride(String)
  /// A `key=value` key given twice, with the first and the second value.
  case repeatedOverride(key: String, first: String, second: String)
  /// An option value outside what is allowed.
  case invalidValue(option: String, value: String, allowed: String)

  public var description: String {
    switch self {
    case .unknownOption(let word, let suggestion):
      let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
      return "unknown option '\(word)'\(hint)"
    case .unknownCommand(let word, let group, let expected):
      let hint =
        Spelling.closest(to: word, among: expected)
        .map { "did you mean '\($0)'? " } ?? ""
      return "unknown command '\(word)' for '\(group)' "
        + "(\(hint)expected: \(expected.joined(separator: ", ")))"
    case .missingCommand(let group, let expected):
      return "'\(group)' needs a command "
        + "(expected: \(expected.joined(separator: ", ")))"
    case .missingValue(let option, let valueName):
      return "option '--\(option)' needs a value (\(valueName))"
    case .unexpectedValue(let option):
      return "option '--\(option)' takes no value"
    case .missingArgument(let name):
      return "missing argument \(name)"
    case .unexpectedArgument(let word):
      return "unexpected argument '\(word)'"
    case .overridesNotAccepted(let word):
      return "unexpected override '\(word)': this command takes no key=value"
    case .malformedOverride(let word):
      return "malformed override '\(word)' (expected key=value)"
    case .repeatedOverride(let key, let first, let second):
      return "key '\(key)' is given twice ('\(key)=\(first)' and "
        + "'\(key)=\(second)'; give each key once)"
    case .invalidValue(let option, let value, let allowed):
      return "invalid value '\(value)' for '--\(option)' (expected \(allowed))"
    }
  }
}
