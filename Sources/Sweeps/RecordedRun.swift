/// A run already in the tracking store, as the resume planner needs it:
/// plain values, so the planner does not depend on how the store reads them.
public struct RecordedRun: Sendable, Equatable {
  /// Where a recorded run is in its life; the names of `runs.status`.
  public enum Status: String, CaseIterable, Sendable {
    /// Registered, not started.
    case pending
    /// Started and, as far as the store knows, alive.
    case running
    /// Finished every planned iteration; never run again.
    case done
    /// Stopped by an error.
    case failed
    /// Stopped on request.
    case interrupted
    /// Its process died (a stale heartbeat).
    case crashed
  }

  /// The run's identity (hex SHA-256 of its canonical configuration JSON).
  public var identity: String
  /// The run's readable name.
  public var name: String
  /// The run's status.
  public var status: Status
  /// The run's canonical configuration JSON, as recorded.
  public var configJSON: String

  /// A recorded run.
  public init(
    identity: String, name: String, status: Status, configJSON: String
  ) {
    self.identity = identity
    self.name = name
    self.status = status
    self.configJSON = configJSON
  }
}
