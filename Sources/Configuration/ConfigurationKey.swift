import ArgumentParsing
import YAML

/// One setting of a run: its dotted name, domain, documentation, and how to
/// read and write it in a `RunConfiguration`.
///
/// `ConfigurationKey.all` lists every key, so validation, canonical JSON and
/// `--help` enumerate the same set.
public struct ConfigurationKey: Sendable {
  /// The dotted name, as in files and overrides: `risk.alpha`.
  public let name: String
  /// The paper's symbol, when it has one: `α`.
  public let symbol: String?
  /// One line of documentation.
  public let summary: String
  /// The values allowed.
  public let domain: ConfigurationDomain
  /// The algorithm the key applies to, or nil for every run.
  public let algorithm: Algorithm?
  private let read: @Sendable (RunConfiguration) -> ConfigurationValue
  private let write: @Sendable (inout RunConfiguration, ConfigurationValue) -> Void

  init(
    _ name: String, symbol: String?, _ summary: String,
    domain: ConfigurationDomain,
    algorithm: Algorithm?,
    read: @escaping @Sendable (RunConfiguration) -> ConfigurationValue,
    write:
      @escaping @Sendable (inout RunConfiguration, ConfigurationValue) -> Void
  ) {
    self.name = name
    self.symbol = symbol
    self.summary = summary
    self.domain = domain
    self.algorithm = algorithm
    self.read = read
    self.write = write
  }

  /// The key called `name`, if there is one.
  public static func named(_ name: String) -> ConfigurationKey? {
    index[name].map { all[$0] }
  }

  /// The key called `name`.
  ///
  /// - Throws: `ConfigurationError.unknownKey` with the closest key name.
  public static func require(
    _ name: String, at mark: YAMLMark? = nil
  ) throws(ConfigurationError) -> ConfigurationKey {
    guard let key = named(name) else {
      let suggestion = Spelling.closest(to: name, among: all.map(\.name))
      throw .unknownKey(name, suggestion: suggestion, at: mark)
    }
    return key
  }

  private static let index: [String: Int] = Dictionary(
    uniqueKeysWithValues: all.enumerated().map { ($1.name, $0) })

  /// Whether the key is part of a run of `algorithm`.
  public func applies(to algorithm: Algorithm) -> Bool {
    self.algorithm.map { $0 == algorithm } ?? true
  }

  /// The key's value in `configuration`.
  public func value(in configuration: RunConfiguration) -> ConfigurationValue {
    read(configuration)
  }

  /// Sets the key in `configuration` to `value`, which must lie in the
  /// key's domain (as returned by `value(from:)`).
  public func set(
    _ value: ConfigurationValue, in configuration: inout RunConfiguration
  ) {
    write(&configuration, value)
  }

  // MARK: - Typing

  /// The node typed and checked against the key's domain.
  ///
  /// - Throws: `ConfigurationError.wrongType`, `.outOfRange` or
  ///   `.unknownChoice`, at the node's position.
  public func value(from node: YAMLNode) throws(ConfigurationError)
    -> ConfigurationValue
  {
    let got = node.kindDescription
    let text = node.scalarText ?? got
    switch domain {
    case .integer(let min, let max):
      return try integer(node, min: min, max: max, expected: "an integer")
    case .optionalInteger(let min, let max, let none):
      if node.isNull || (node.scalarType == .string && text == none) {
        return .null
      }
      return try integer(
        node, min: min, max: max, expected: "an integer or '\(none)'")
    case .real(let interval):
      guard node.scalarType == .int || node.scalarType == .float,
        let value = try? node.double()
      else {
        throw .wrongType(
          key: name, expected: "a number", got: got, at: node.mark)
      }
      guard interval.contains(value) else {
        throw .outOfRange(
          key: name, got: text, allowed: domain.allowed, at: node.mark)
      }
      return .real(value)
    case .boolean:
      guard let value = try? node.bool() else {
        throw .wrongType(
          key: name, expected: "true or false", got: got, at: node.mark)
      }
      return .bool(value)
    case .choice(let names):
      guard let value = try? node.string() else {
        throw .wrongType(
          key: name, expected: "one of \(domain.allowed)", got: got,
          at: node.mark)
      }
      guard names.contains(value) else {
        let suggestion = Spelling.closest(to: value, among: names)
        throw .unknownChoice(
          key: name, got: value, allowed: names, suggestion: suggestion,
          at: node.mark)
      }
      return .string(value)
    }
  }

  private func integer(
    _ node: YAMLNode, min: Int, max: Int, expected: String
  ) throws(ConfigurationError) -> ConfigurationValue {
    let text = node.scalarText ?? node.kindDescription
    guard node.scalarType == .int else {
      throw .wrongType(
        key: name, expected: expected, got: node.kindDescription, at: node.mark)
    }
    guard let value = try? node.int(), (min...max).contains(value) else {
      throw .outOfRange(
        key: name, got: text, allowed: domain.allowed, at: node.mark)
    }
    return .int(value)
  }
}
