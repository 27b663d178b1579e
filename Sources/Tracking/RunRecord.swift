import Foundation

/// A stored run: its ``RunSpec``, status and times, and the last iteration
/// recorded.
public struct RunRecord: Hashable, Sendable {
  /// The run's row id.
  public var id: RunID
  /// The registered description.
  public var spec: RunSpec
  /// The status: the stored one, or `crashed` when the stored one is
  /// `running` and the heartbeat is older than the limit asked for.
  public var status: RunStatus
  /// The error of a failed or crashed run.
  public var error: String?
  /// When the run was registered.
  public var createdAt: Date
  /// When the run last went to `running`.
  public var startedAt: Date?
  /// When the run last finished (done, failed, interrupted, crashed).
  public var finishedAt: Date?
  /// The last heartbeat (every recorded iteration is one).
  public var heartbeatAt: Date?
  /// The last recorded iteration, `nil` when there is none.
  public var lastIteration: Int?
}
