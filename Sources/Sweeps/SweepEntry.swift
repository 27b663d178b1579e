import Configuration
import YAML

/// An `include` or `exclude` entry: a mapping of configuration keys to one
/// value each, checked against the keys' domains when the file is read.
public struct SweepEntry: Sendable, Equatable {
  /// Where the entry starts.
  public var mark: YAMLMark
  /// The settings, in file order.
  public var assignments: [ConfigurationAssignment]
  /// The typed values, parallel to `assignments`.
  public var typed: [ConfigurationValue]

  /// Whether `configuration` has every value of the entry. A key that does
  /// not apply to the run (`risk.*` on RLHF) never matches.
  func matches(_ configuration: RunConfiguration) -> Bool {
    zip(assignments, typed).allSatisfy { assignment, value in
      guard let key = ConfigurationKey.named(assignment.key),
        key.applies(to: configuration.algorithm)
      else { return false }
      return key.value(in: configuration) == value
    }
  }
}
