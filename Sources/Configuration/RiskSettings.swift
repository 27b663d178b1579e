/// The soft-risk schedule of RA-RLHF (`risk.*`); unused by RLHF runs.
///
/// For iteration m = 0, 1, … of M, the kept count α′ is B while m ≤ n,
/// ⌈αB⌉ from m ≥ ⌈ρM⌉ on, and ⌈B·max(α, 1 − K(m − n))⌉ with
/// K = (1 − α)/(⌈ρM⌉ − n) in between (PAPER.md, "Method").
public struct RiskSettings: Sendable, Equatable {
  /// `risk.alpha`, α: risk level, the final kept fraction, in (0, 1].
  public var alpha: Double
  /// `risk.warm_start`, n: iterations on the whole batch before the
  /// schedule starts falling.
  public var warmStart: Int
  /// `risk.rho`, ρ: fraction of M after which α′ stays at ⌈αB⌉, in (0, 1].
  public var rho: Double
  /// `risk.ranking`: what episodes are ranked by.
  public var ranking: RiskRanking
  /// `risk.kl_input`: what feeds the adaptive KL controller.
  public var klInput: KLControllerInput

  /// Settings with every field given.
  public init(
    alpha: Double, warmStart: Int, rho: Double, ranking: RiskRanking,
    klInput: KLControllerInput
  ) {
    self.alpha = alpha
    self.warmStart = warmStart
    self.rho = rho
    self.ranking = ranking
    self.klInput = klInput
  }
}

extension RiskSettings {
  /// ⌈ρM⌉: the first iteration at which the kept count is ⌈αB⌉.
  public func scheduleEnd(iterations: Int) -> Int {
    Self.ceiling(rho * Double(iterations))
  }

  /// ⌈αB⌉: the kept count once the schedule has ended.
  public func finalKeptCount(batchSize: Int) -> Int {
    Self.finalKeptCount(alpha: alpha, batchSize: batchSize)
  }

  /// ⌈αB⌉ by `ceiling`: 0 for an α so small that αB is within 1e-9 of 0,
  /// which `RunConfiguration.validate` and the RLHF module's soft-risk
  /// schedule both refuse (the tail would keep no episode).
  public static func finalKeptCount(alpha: Double, batchSize: Int) -> Int {
    ceiling(alpha * Double(batchSize))
  }

  /// ⌈x⌉ for x ≥ 0, taking a value within 1e-9 (relative) of an integer as
  /// that integer, so that floating-point error cannot add one
  /// (0.3 × 10 = 3.0000000000000004 gives 3). The one rounding rule of the
  /// schedule, here and in the RLHF module.
  public static func ceiling(_ x: Double) -> Int {
    let nearest = x.rounded()
    if abs(x - nearest) <= 1e-9 * max(1, abs(x)) { return Int(nearest) }
    return Int(x.rounded(.up))
  }
}
