import Foundation

/// The counts of a running sweep and the line that shows them:
///
///     3/9 done, 2 running (imdb-rlhf-s1-… 12/32, imdb-rlhf-s2-… 3/32),
///     1 failed, 3 pending; 4m05s elapsed, about 6m left
public struct SweepProgress: Sendable, Equatable {
  /// A running run's place in its training.
  public struct Running: Sendable, Equatable {
    /// The run's name.
    public var name: String
    /// Iterations recorded so far (the last recorded iteration + 1).
    public var iterations: Int
    /// M, the iterations planned, when known.
    public var planned: Int?

    /// A running run; see the properties.
    public init(name: String, iterations: Int, planned: Int?) {
      self.name = name
      self.iterations = iterations
      self.planned = planned
    }
  }

  /// Runs of this sweep start that finished successfully.
  public var done = 0
  /// Runs of this sweep start that failed or crashed.
  public var failed = 0
  /// Runs not started yet.
  public var pending = 0
  /// The running runs.
  public var running: [Running] = []
  /// Seconds since the pool started.
  public var elapsed: TimeInterval = 0

  /// Counts of a sweep start with `pending` runs to do.
  public init(pending: Int) {
    self.pending = pending
  }

  /// Seconds left, estimated from the mean time of the finished runs and
  /// the share of iterations the running ones have done; nil before the
  /// first run finishes.
  public var remaining: TimeInterval? {
    let finished = done + failed
    guard finished > 0 else { return nil }
    let perRun = elapsed / Double(finished)
    let left =
      Double(pending)
      + running.map { run in
        guard let planned = run.planned, planned > 0 else { return 1 }
        return max(0, 1 - Double(run.iterations) / Double(planned))
      }.reduce(0, +)
    let lanes = Double(max(1, running.count))
    return left * perRun / lanes
  }

  /// The progress line.
  public var line: String { line(fitting: nil) }

  /// The progress line in at most `columns` characters (a terminal's
  /// width), when given: running runs lose their names, then their
  /// iterations, before the line is cut.
  public func line(fitting columns: Int?) -> String {
    let forms = [
      running.map { run in "\(run.name) \(fraction(run))" },
      running.map(fraction),
      [],
    ]
    var line = ""
    for detail in forms {
      line = text(running: detail)
      if let columns, line.count > columns { continue }
      return line
    }
    return String(line.prefix(columns ?? line.count))
  }

  private func fraction(_ run: Running) -> String {
    "\(run.iterations)/\(run.planned.map(String.init) ?? "?")"
  }

  private func text(running detail: [String]) -> String {
    let total = done + failed + pending + running.count
    var parts = ["\(done)/\(total) done"]
    if !running.isEmpty {
      parts.append(
        "\(running.count) running"
          + (detail.isEmpty ? "" : " (\(detail.joined(separator: ", ")))"))
    }
    if failed > 0 { parts.append("\(failed) failed") }
    if pending > 0 { parts.append("\(pending) pending") }
    var line =
      parts.joined(separator: ", ") + "; "
      + Self.duration(elapsed) + " elapsed"
    if let remaining { line += ", about " + Self.duration(remaining) + " left" }
    return line
  }

  /// `42s`, `4m05s`, `2h03m`.
  public static func duration(_ seconds: TimeInterval) -> String {
    let whole = Int(seconds.rounded())
    if whole < 60 { return "\(whole)s" }
    if whole < 3600 {
      return "\(whole / 60)m" + String(format: "%02ds", whole % 60)
    }
    return "\(whole / 3600)h" + String(format: "%02dm", whole % 3600 / 60)
  }
}
