import YAML

/// One setting given by a user: a dotted key and its value, with where both
/// were written (a sweep file, or a `key=value` override).
public struct ConfigurationAssignment: Sendable, Equatable {
  /// The dotted key as written, maybe unknown: `risk.alpha`.
  public var key: String
  /// Where the key was written, if anywhere.
  public var keyMark: YAMLMark?
  /// The value, untyped until resolution types it by the key's domain.
  public var value: YAMLNode

  /// An assignment of `value` to `key`.
  public init(key: String, value: YAMLNode, keyMark: YAMLMark? = nil) {
    self.key = key
    self.value = value
    self.keyMark = keyMark
  }

  /// Parses a command-line override `key=value`; the value is typed as a
  /// plain YAML scalar, so `seed=3` is an integer and `task=imdb` a string.
  /// Errors about it are labelled `override 'key=value'`.
  ///
  /// - Throws: `ConfigurationError.malformedOverride` without `=` or with an
  ///   empty key.
  public init(override text: String) throws(ConfigurationError) {
    guard let equals = text.firstIndex(of: "="), equals != text.startIndex
    else {
      throw .malformedOverride(text)
    }
    let mark = YAMLMark(file: "override '\(text)'", line: 0, column: 0)
    let key = String(text[..<equals]).trimmingWhitespace()
    let value = String(text[text.index(after: equals)...]).trimmingWhitespace()
    guard !key.isEmpty else { throw .malformedOverride(text) }
    self.init(key: key, value: .plain(value, at: mark), keyMark: mark)
  }

  /// Where an error about this assignment points: the value, else the key.
  public var mark: YAMLMark { value.mark }
}

extension String {
  fileprivate func trimmingWhitespace() -> String {
    let scalars = unicodeScalars.drop { $0.properties.isWhitespace }
    let trimmed = String(String.UnicodeScalarView(scalars))
    return String(trimmed.reversed().drop { $0.isWhitespace }.reversed())
  }
}
