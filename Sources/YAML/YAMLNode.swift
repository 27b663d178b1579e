/// A node of a parsed YAML document: a scalar, a sequence, or a mapping,
/// with the position where it starts.
///
/// Mappings keep their keys in source order; the parser refuses duplicate
/// keys. Scalars keep their text untyped; ask for a type with `int()`,
/// `double()`, `bool()` or `string()` (see `YAMLNode+Scalars.swift`).
public struct YAMLNode: Sendable, Equatable {
  /// One entry of a mapping.
  public struct Pair: Sendable, Equatable {
    /// The key node (always a scalar).
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// A mapping entry.
    public init(key: YAMLNode, value: YAMLNode) {
      self.key = key
      self.value = value
    }
  }

  /// What a node holds.
  public enum Content: Sendable, Equatable {
    /// Scalar text; `plain` is false for quoted or block scalars and for
    /// scalars tagged `!!str`, which are always strings.
    case scalar(String, plain: Bool)
    /// Items in source order.
    case sequence([YAMLNode])
    /// Entries in source order, keys unique.
    case mapping([Pair])
  }

  /// What the node holds.
  public var content: Content
  /// Where the node starts.
  public var mark: YAMLMark

  /// A node holding `content`, starting at `mark`.
  public init(_ content: Content, at mark: YAMLMark) {
    self.content = content
    self.mark = mark
  }

  /// A plain scalar, typed as YAML would type it when written unquoted.
  ///
  /// Used for values that arrive as text, such as `key=value` overrides on
  /// the command line, so they follow the same typing rules as files.
  public static func plain(_ text: String, at mark: YAMLMark) -> YAMLNode {
    YAMLNode(.scalar(text, plain: true), at: mark)
  }

  // MARK: - Structure

  /// The items when the node is a sequence, else nil.
  public var items: [YAMLNode]? {
    if case .sequence(let items) = content { items } else { nil }
  }

  /// The entries when the node is a mapping, else nil.
  public var pairs: [Pair]? {
    if case .mapping(let pairs) = content { pairs } else { nil }
  }

  /// The text when the node is a scalar, else nil.
  public var scalarText: String? {
    if case .scalar(let text, _) = content { text } else { nil }
  }

  /// The value under the scalar key `key`, when the node is a mapping that
  /// holds it.
  public subscript(key: String) -> YAMLNode? {
    pairs?.first { $0.key.scalarText == key }?.value
  }

  /// The entries of a mapping.
  ///
  /// - Throws: `YAMLError.typeMismatch` when the node is not a mapping.
  public func mapping() throws(YAMLError) -> [Pair] {
    guard let pairs else {
      throw .typeMismatch(expected: "a mapping", got: kindDescription, at: mark)
    }
    return pairs
  }

  /// The items of a sequence.
  ///
  /// - Throws: `YAMLError.typeMismatch` when the node is not a sequence.
  public func sequence() throws(YAMLError) -> [YAMLNode] {
    guard let items else {
      throw .typeMismatch(expected: "a list", got: kindDescription, at: mark)
    }
    return items
  }
}
