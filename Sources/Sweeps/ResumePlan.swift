import Configuration

/// What a sweep start does with each planned run, given the runs already
/// recorded: start it, resume it, or skip it. Built by
/// `init(plan:recorded:sweepRuns:force:)`.
public struct ResumePlan: Sendable, Equatable, CustomStringConvertible {
  /// What happens to one planned run.
  public enum Action: Sendable, Equatable {
    /// Not recorded yet: register and run it.
    case start
    /// Recorded but not finished (pending, failed, interrupted, crashed):
    /// run it again.
    case resume(RecordedRun.Status)
    /// Recorded as done: never run again.
    case skipDone
    /// Recorded as running (alive elsewhere): left to its process.
    case skipRunning
  }

  /// A planned run whose cell was recorded before with other settings.
  public struct Change: Sendable, Equatable {
    /// The run recorded before.
    public let previous: RecordedRun
    /// The run planned now.
    public let planned: PlannedRun
    /// The keys whose values differ, with the old and new values; empty
    /// when only the configuration format changed.
    public let differences: [Difference]
  }

  /// One key's old and new value in a changed cell.
  public struct Difference: Sendable, Equatable {
    /// The dotted key.
    public let key: String
    /// The recorded value (nil when the key was not part of the run).
    public let old: ConfigurationValue?
    /// The planned value (nil when the key is not part of the run).
    public let new: ConfigurationValue?

    /// A difference of `key` from `old` to `new`.
    public init(key: String, old: ConfigurationValue?, new: ConfigurationValue?) {
      self.key = key
      self.old = old
      self.new = new
    }
  }

  /// Every planned run with its action, in plan order.
  public let actions: [(run: PlannedRun, action: Action)]
  /// Cells recorded before with other settings (only when forced).
  public let changes: [Change]
  /// Runs recorded for this sweep that the plan no longer has; left alone.
  public let dropped: [RecordedRun]

  /// The runs to start or resume, in plan order.
  public var runsToRun: [PlannedRun] {
    actions.compactMap { entry in
      switch entry.action {
      case .start, .resume: entry.run
      case .skipDone, .skipRunning: nil
      }
    }
  }

  /// Equal runs with equal actions, changes and dropped runs.
  public static func == (lhs: ResumePlan, rhs: ResumePlan) -> Bool {
    lhs.actions.map(\.run) == rhs.actions.map(\.run)
      && lhs.actions.map(\.action) == rhs.actions.map(\.action)
      && lhs.changes == rhs.changes && lhs.dropped == rhs.dropped
  }

  /// One line of counts: `9 runs: 3 new, 2 to resume (1 failed, 1 crashed),
  /// 3 done, 1 running elsewhere`, then one line per changed cell.
  public var description: String {
    var parts: [String] = []
    let new = actions.filter { $0.action == .start }.count
    if new > 0 { parts.append("\(new) new") }
    var resumed: [RecordedRun.Status: Int] = [:]
    for entry in actions {
      if case .resume(let status) = entry.action {
        resumed[status, default: 0] += 1
      }
    }
    if !resumed.isEmpty {
      let detail = RecordedRun.Status.allCases.compactMap { status in
        resumed[status].map { "\($0) \(status.rawValue)" }
      }
      parts.append(
        "\(resumed.values.reduce(0, +)) to resume (\(detail.joined(separator: ", ")))"
      )
    }
    let done = actions.filter { $0.action == .skipDone }.count
    if done > 0 { parts.append("\(done) done") }
    let running = actions.filter { $0.action == .skipRunning }.count
    if running > 0 { parts.append("\(running) running elsewhere") }
    if !dropped.isEmpty {
      parts.append("\(dropped.count) recorded but no longer planned")
    }
    let count = actions.count == 1 ? "1 run" : "\(actions.count) runs"
    let lines =
      ["\(count): " + parts.joined(separator: ", ")]
      + changes.map { "changed: " + Self.describe($0) }
    return lines.joined(separator: "\n")
  }

  /// `imdb-rlhf-s1-0a1b2c3d → imdb-rlhf-s1-4e5f6a7b (ppo.learning_rate:
  /// 0.0001 → 0.0002)`.
  static func describe(_ change: Change) -> String {
    let detail =
      change.differences.isEmpty
      ? "no setting differs; the configuration format changed"
      : change.differences.map {
        "\($0.key): \($0.old?.description ?? "-") → \($0.new?.description ?? "-")"
      }.joined(separator: ", ")
    return "\(change.previous.name) → \(change.planned.name) (\(detail))"
  }
}
