import Configuration
import YAML

/// One entry of a sweep's `parameters`: a configuration key and the values
/// it takes, each checked against the key's domain when the file is read.
public struct SweepAxis: Sendable, Equatable {
  /// The configuration key.
  public var key: String
  /// Where the key is written.
  public var keyMark: YAMLMark
  /// The value nodes, in file order (one for `value:`).
  public var values: [YAMLNode]
  /// The typed values, parallel to `values`.
  public var typed: [ConfigurationValue]

  /// The assignment of the `index`-th value.
  func assignment(_ index: Int) -> ConfigurationAssignment {
    ConfigurationAssignment(key: key, value: values[index], keyMark: keyMark)
  }
}
