/// Where a run is in its life, as stored in `runs.status`.
///
/// `pending → running → done | failed | interrupted | crashed`; a failed,
/// interrupted or crashed run may be resumed (`→ running`) or reset
/// (`→ pending`). A `done` run is final.
public enum RunStatus: String, CaseIterable, Hashable, Sendable, SQLValueConvertible {
  /// Registered, not started.
  case pending
  /// Started; its heartbeat shows it is alive.
  case running
  /// Finished every planned iteration.
  case done
  /// Stopped by an error, recorded in `runs.error`.
  case failed
  /// Stopped on request (Ctrl-C, a sweep cancelled).
  case interrupted
  /// Its process died: found `running` with a heartbeat older than the limit.
  case crashed

  /// The statuses this one may change to.
  public var allowedNext: [RunStatus] {
    switch self {
    case .pending: [.running]
    case .running: [.done, .failed, .interrupted, .crashed]
    case .failed, .interrupted, .crashed: [.running, .pending]
    case .done: []
    }
  }

  /// Whether a run stops here (`finished_at` is set).
  public var isFinished: Bool {
    switch self {
    case .done, .failed, .interrupted, .crashed: true
    case .pending, .running: false
    }
  }

  /// The status as text.
  public var sqlValue: SQLValue { .text(rawValue) }

  /// A text column holding one of the status names.
  public init?(sqlValue value: SQLValue) {
    guard case .text(let text) = value else { return nil }
    self.init(rawValue: text)
  }
}
