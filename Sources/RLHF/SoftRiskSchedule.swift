import Configuration

/// The soft-risk schedule of RA-RLHF: how many episodes α′ of a batch of B
/// are kept (the lowest-return ones) at each PPO iteration.
///
/// From the paper (Chaudhary et al., NeurIPS 2024, Eqs. 8–10), for iteration
/// m = 0, 1, …, M − 1:
///
/// - m ≤ n (warm start): α′ = B;
/// - m ≥ ⌈ρM⌉: α′ = ⌈αB⌉;
/// - otherwise α′ = ⌈B · max(α, 1 − K(m − n))⌉ with K = (1 − α)/(⌈ρM⌉ − n).
///
/// Ceilings are taken after snapping values within 1e-9 (relative) of an
/// integer to that integer, so that products such as 0.3 · 10, which come out
/// as 3.0000000000000004 in binary floating point, give 3 and not 4.
public struct SoftRiskSchedule: Sendable, Equatable {
  /// α, the final risk level; in (0, 1].
  public let alpha: Double
  /// B, the number of episodes per iteration; at least 1.
  public let batchSize: Int
  /// M, the number of PPO iterations of the run; at least 1.
  public let iterations: Int
  /// n, the warm start: iterations 0…n keep the whole batch; at least 0.
  public let warmStart: Int
  /// ρ, the fraction of the run after which α′ stays at ⌈αB⌉; in (0, 1].
  public let rho: Double

  /// Checks the settings and makes the schedule.
  ///
  /// - Throws: `RLHFError.invalidParameter` for α or ρ outside (0, 1], B or
  ///   M below 1 or n below 0; `RLHFError.riskRampEmpty` when ⌈ρM⌉ ≤ n;
  ///   `RLHFError.emptyTail` when ⌈αB⌉ < 1.
  public init(
    alpha: Double, batchSize: Int, iterations: Int, warmStart: Int, rho: Double
  ) throws {
    guard alpha > 0, alpha <= 1 else {
      throw RLHFError.invalidParameter(
        name: "α (risk level)", value: alpha, allowed: "in (0, 1]")
    }
    guard rho > 0, rho <= 1 else {
      throw RLHFError.invalidParameter(name: "ρ", value: rho, allowed: "in (0, 1]")
    }
    guard batchSize >= 1 else {
      throw RLHFError.invalidParameter(
        name: "batch size B", value: Double(batchSize), allowed: "at least 1")
    }
    guard iterations >= 1 else {
      throw RLHFError.invalidParameter(
        name: "iterations M", value: Double(iterations), allowed: "at least 1")
    }
    guard warmStart >= 0 else {
      throw RLHFError.invalidParameter(
        name: "warm start n", value: Double(warmStart), allowed: "at least 0")
    }
    let rampEnd = Self.ceiling(rho * Double(iterations))
    guard rampEnd > warmStart else {
      throw RLHFError.riskRampEmpty(rhoTimesIterations: rampEnd, warmStart: warmStart)
    }
    guard RiskSettings.finalKeptCount(alpha: alpha, batchSize: batchSize) >= 1 else {
      throw RLHFError.emptyTail(alpha: alpha, batchSize: batchSize)
    }
    self.alpha = alpha
    self.batchSize = batchSize
    self.iterations = iterations
    self.warmStart = warmStart
    self.rho = rho
  }

  /// ⌈ρM⌉, the first iteration at which α′ = ⌈αB⌉.
  public var rampEnd: Int { Self.ceiling(rho * Double(iterations)) }

  /// ⌈αB⌉, the kept count at the end of the schedule.
  public var finalKeptCount: Int {
    RiskSettings.finalKeptCount(alpha: alpha, batchSize: batchSize)
  }

  /// K = (1 − α)/(⌈ρM⌉ − n), the slope of the ramp per iteration.
  public var slope: Double { (1 - alpha) / Double(rampEnd - warmStart) }

  /// α′, the number of episodes kept at iteration `iteration` (0-based; any
  /// iteration ≥ 0, those past M keep ⌈αB⌉); between ⌈αB⌉ and B.
  public func keptCount(at iteration: Int) -> Int {
    precondition(iteration >= 0, "iteration must be non-negative")
    if iteration <= warmStart { return batchSize }
    if iteration >= rampEnd { return finalKeptCount }
    let level = max(alpha, 1 - slope * Double(iteration - warmStart))
    return Self.ceiling(Double(batchSize) * level)
  }

  /// α′ for iterations 0…M − 1, in order (the curve of the paper's Fig. 5).
  public func keptCounts() -> [Int] {
    (0..<iterations).map { keptCount(at: $0) }
  }

  /// ⌈x⌉ for x ≥ 0 by the configuration's rule (`RiskSettings.ceiling`),
  /// so the schedule and `RunConfiguration.validate` agree on every count.
  static func ceiling(_ x: Double) -> Int { RiskSettings.ceiling(x) }
}
