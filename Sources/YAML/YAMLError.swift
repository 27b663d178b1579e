/// Why a YAML source could not be read, parsed, or typed.
///
/// Every description starts with the position of the problem
/// (`file:line:column: message`).
public enum YAMLError: Error, Equatable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String, reason: String)
  /// The file is not valid UTF-8.
  case notUTF8(path: String)
  /// libyaml refused the text; `problem` and `context` are its own words.
  case syntax(problem: String, context: String?, at: YAMLMark)
  /// A mapping repeats a key; `first` is where the key first appeared.
  case duplicateKey(String, first: YAMLMark, at: YAMLMark)
  /// A mapping key is a sequence or a mapping; only scalar keys are allowed.
  case nonScalarKey(at: YAMLMark)
  /// An alias names an anchor that was not defined before it.
  case unknownAnchor(String, at: YAMLMark)
  /// The source holds more than one document; one is allowed.
  case multipleDocuments(at: YAMLMark)
  /// A node is not of the kind requested; `got` describes what it is.
  case typeMismatch(expected: String, got: String, at: YAMLMark)

  /// The position the error points at, when it has one.
  public var mark: YAMLMark? {
    switch self {
    case .unreadable, .notUTF8: nil
    case .syntax(_, _, let at), .duplicateKey(_, _, let at),
      .nonScalarKey(let at), .unknownAnchor(_, let at),
      .multipleDocuments(let at), .typeMismatch(_, _, let at):
      at
    }
  }

  /// The message, starting with `file:line:column:` when positioned.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      "\(path): cannot read the file: \(reason)"
    case .notUTF8(let path):
      "\(path): the file is not valid UTF-8"
    case .syntax(let problem, let context, let at):
      if let context {
        "\(at): \(problem) (\(context))"
      } else {
        "\(at): \(problem)"
      }
    case .duplicateKey(let key, let first, let at):
      "\(at): duplicate key '\(key)' (first defined at line \(first.line), "
        + "column \(first.column))"
    case .nonScalarKey(let at):
      "\(at): a mapping key must be a scalar, not a sequence or a mapping"
    case .unknownAnchor(let name, let at):
      "\(at): alias '*\(name)' names no anchor defined before it"
    case .multipleDocuments(let at):
      "\(at): a second YAML document starts here (one document allowed)"
    case .typeMismatch(let expected, let got, let at):
      "\(at): expected \(expected), got \(got)"
    }
  }
}
