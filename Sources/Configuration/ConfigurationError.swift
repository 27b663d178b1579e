import YAML

/// Why a configuration could not be resolved.
///
/// Every case carries the offending value and says what is allowed; when the
/// value came from a file or an override, its position starts the
/// description (`file:line:column: key 'risk.alpha' (α) is out of range: got
/// 1.5 (allowed: (0, 1])`).
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
  /// No key has this name; `suggestion` is the closest known key.
  case unknownKey(String, suggestion: String?, at: YAMLMark?)
  /// The value has the wrong type; `got` describes it (`string "1"`).
  case wrongType(key: String, expected: String, got: String, at: YAMLMark?)
  /// The value is of the right type but outside the key's domain.
  case outOfRange(key: String, got: String, allowed: String, at: YAMLMark?)
  /// The value is not one of the key's names; `suggestion` is the closest.
  case unknownChoice(
    key: String, got: String, allowed: [String], suggestion: String?,
    at: YAMLMark?)
  /// The key only applies to runs of another algorithm.
  case notApplicable(key: String, algorithm: String, at: YAMLMark?)
  /// A key every run needs was not given.
  case missingKey(String, allowed: String)
  /// A rule across keys is broken: `rule` is what must hold, `got` the
  /// values that break it.
  case impossible(keys: [String], rule: String, got: String, at: YAMLMark?)
  /// An override is not of the form `key=value`.
  case malformedOverride(String)
  /// Canonical JSON that could not be parsed.
  case unreadableJSON(YAMLError)

  /// The message, starting with `file:line:column:` when positioned.
  public var description: String {
    switch self {
    case .unknownKey(let key, let suggestion, let at):
      let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
      return Self.prefix(at) + "unknown key '\(key)'\(hint)"
    case .wrongType(let key, let expected, let got, let at):
      return Self.prefix(at)
        + "key \(Self.named(key)) expects \(expected), got \(got)"
    case .outOfRange(let key, let got, let allowed, let at):
      return Self.prefix(at)
        + "key \(Self.named(key)) is out of range: got \(got) (allowed: \(allowed))"
    case .unknownChoice(let key, let got, let allowed, let suggestion, let at):
      let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
      return Self.prefix(at)
        + "key \(Self.named(key)) has no value '\(got)' "
        + "(allowed: \(allowed.joined(separator: ", "))\(hint))"
    case .notApplicable(let key, let algorithm, let at):
      return Self.prefix(at)
        + "key \(Self.named(key)) applies only to algorithm \(algorithm) runs"
    case .missingKey(let key, let allowed):
      return "key '\(key)' is required (allowed: \(allowed))"
    case .impossible(let keys, let rule, let got, let at):
      let names = keys.map { "'\($0)'" }.joined(separator: ", ")
      return Self.prefix(at) + "keys \(names): need \(rule), got \(got)"
    case .malformedOverride(let text):
      return
        "override '\(text)' is not of the form key=value (e.g. risk.alpha=0.2)"
    case .unreadableJSON(let error):
      return "canonical configuration JSON: \(error)"
    }
  }

  private static func prefix(_ mark: YAMLMark?) -> String {
    mark.map { "\($0): " } ?? ""
  }

  private static func named(_ key: String) -> String {
    guard let symbol = ConfigurationKey.named(key)?.symbol else {
      return "'\(key)'"
    }
    return "'\(key)' (\(symbol))"
  }
}
