import Configuration
import YAML

/// One entry of a sweep's `parameters`: a configuration key and the values
/// it takes (or, in random sweeps, the distribution it is drawn from), each
/// checked against the key's domain when the file is read.
public struct SweepAxis: Sendable, Equatable {
  /// The configuration key.
  public var key: String
  /// Where the key is written.
  public var keyMark: YAMLMark
  /// The value nodes, in file order (one for `value:`; none for a
  /// distribution).
  public var values: [YAMLNode]
  /// The typed values, parallel to `values`.
  public var typed: [ConfigurationValue]
  /// The distribution of a `method: random` parameter, if it has one.
  public var distribution: SweepDistribution?
  /// Where the parameter's specification starts.
  public var mark: YAMLMark

  /// The assignment of the `index`-th value.
  func assignment(_ index: Int) -> ConfigurationAssignment {
    ConfigurationAssignment(key: key, value: values[index], keyMark: keyMark)
  }

  /// A value drawn with `sampler`: from the distribution, or one of the
  /// values, uniformly; as an assignment positioned at the parameter.
  func draw(
    using sampler: inout SeededSampler
  ) -> (assignment: ConfigurationAssignment, value: ConfigurationValue) {
    if let distribution {
      let value = distribution.draw(using: &sampler)
      let node = YAMLNode.plain(value.description, at: mark)
      return (
        ConfigurationAssignment(key: key, value: node, keyMark: keyMark), value
      )
    }
    let index = sampler.next(below: typed.count)
    return (assignment(index), typed[index])
  }
}
