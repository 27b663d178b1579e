/// The runs that differ only in their seed: task, algorithm, for RA-RLHF
/// the schedule (n, α, ρ), and every other setting of the resolved
/// configuration (`RunSummary.settings`: preset, learning rate, …).
///
/// For the other algorithms α, n and ρ are ignored (set to `nil`), so a
/// stray value in a baseline's configuration does not split its seeds.
public struct RunGroup: Sendable, Hashable, Comparable {
  /// The task, e.g. `imdb`.
  public var task: String
  /// The algorithm.
  public var algorithm: RunSummary.Algorithm
  /// α, the risk level; `nil` except for RA-RLHF.
  public var alpha: Double?
  /// n, the warm-start iterations; `nil` except for RA-RLHF.
  public var warmStart: Int?
  /// ρ, the schedule's end fraction; `nil` except for RA-RLHF.
  public var rho: Double?
  /// The other settings shared by the seeds (`RunSummary.settings`); in a
  /// table row's model only those that tell its configurations apart.
  public var settings: [String: String]

  /// A group; α, n and ρ are dropped unless `algorithm` is RA-RLHF.
  public init(
    task: String, algorithm: RunSummary.Algorithm, alpha: Double?, warmStart: Int?,
    rho: Double?, settings: [String: String] = [:]
  ) {
    self.task = task
    self.algorithm = algorithm
    let risky = algorithm == .raRLHF
    self.alpha = risky ? alpha : nil
    self.warmStart = risky ? warmStart : nil
    self.rho = risky ? rho : nil
    self.settings = settings
  }

  /// The task, algorithm and schedule without the settings: the groups
  /// of one task whose label would be the same without settings.
  var labelKey: RunGroup {
    RunGroup(
      task: task, algorithm: algorithm, alpha: alpha, warmStart: warmStart, rho: rho)
  }

  /// The schedule as `n=30, α=0.4, ρ=0.95`, empty for non-risk groups.
  public var scheduleText: String {
    var parts: [String] = []
    if let warmStart { parts.append("n=\(warmStart)") }
    if let alpha { parts.append("α=\(NumberText.parameter(alpha))") }
    if let rho { parts.append("ρ=\(NumberText.parameter(rho))") }
    return parts.joined(separator: ", ")
  }

  /// Task, then algorithm in paper order, then α falling (more risk
  /// averse later), then n and ρ rising, then settings in key order
  /// (numbers by value); `nil` before any value.
  public static func < (lhs: RunGroup, rhs: RunGroup) -> Bool {
    if lhs.task != rhs.task { return lhs.task < rhs.task }
    if lhs.algorithm != rhs.algorithm { return lhs.algorithm < rhs.algorithm }
    if lhs.alpha != rhs.alpha {
      guard let left = lhs.alpha else { return true }
      guard let right = rhs.alpha else { return false }
      return left > right
    }
    if lhs.warmStart != rhs.warmStart {
      return (lhs.warmStart ?? Int.min) < (rhs.warmStart ?? Int.min)
    }
    if lhs.rho != rhs.rho { return (lhs.rho ?? -.infinity) < (rhs.rho ?? -.infinity) }
    return RunSettings.precedes(lhs.settings, rhs.settings)
  }

  /// The (n, ρ) part of a schedule and a model's settings, which the
  /// tail-against-α figure holds fixed along a line.
  struct Schedule: Hashable, Comparable {
    var n: Int?
    var rho: Double?
    var settings: [String: String] = [:]

    static func < (lhs: Schedule, rhs: Schedule) -> Bool {
      if lhs.n != rhs.n || lhs.rho != rhs.rho {
        return ((lhs.n ?? Int.min), (lhs.rho ?? -.infinity))
          < ((rhs.n ?? Int.min), (rhs.rho ?? -.infinity))
      }
      return RunSettings.precedes(lhs.settings, rhs.settings)
    }
  }
}
