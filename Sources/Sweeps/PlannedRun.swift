import Configuration

/// One run of a sweep plan: its resolved configuration and where it came
/// from.
public struct PlannedRun: Sendable, Equatable {
  /// Where a run of the plan came from.
  public enum Origin: Sendable, Equatable {
    /// A combination of the parameters' values (or a random draw of them).
    case grid
    /// The `include` entry at this index (0-based), or a combination of it
    /// with the parameters it does not set.
    case include(Int)
    /// A run already recorded in the store (`SweepPlan(recordedSweep:)`).
    case recorded
  }

  /// The resolved, validated configuration.
  public let configuration: RunConfiguration
  /// `configuration.identity`, computed once.
  public let identity: String
  /// `configuration.name`, computed once.
  public let name: String
  /// Where the run came from.
  public let origin: Origin

  init(configuration: RunConfiguration, origin: Origin) {
    self.configuration = configuration
    identity = configuration.identity
    name = configuration.name
    self.origin = origin
  }

  /// The run's value of the key called `name`: nil for a key that is not
  /// part of the run (`risk.*` on RLHF) or unknown.
  public func value(of name: String) -> ConfigurationValue? {
    guard let key = ConfigurationKey.named(name),
      key.applies(to: configuration.algorithm)
    else {
      return nil
    }
    return key.value(in: configuration)
  }
}
