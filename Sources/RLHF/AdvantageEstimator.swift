/// Generalised advantage estimation (Schulman et al., 2016) over a padded
/// batch of responses, as TRL 0.7's `compute_advantages`.
///
/// With rewards and values zeroed off the response mask, a reverse scan over
/// t = T − 1 … 0 computes δₜ = rₜ + γVₜ₊₁ − Vₜ (V_T = 0) and
/// Âₜ = δₜ + γλÂₜ₊₁; the returns are Gₜ = Âₜ + Vₜ. The paper uses γ = 1,
/// λ = 0.95. Advantages come back raw; whitening is a separate step because
/// RA-RLHF whitens over the kept episodes only.
public struct AdvantageEstimator: Sendable, Equatable {
  /// γ, the discount; in [0, 1].
  public let gamma: Double
  /// λ, the GAE trace parameter; in [0, 1].
  public let lambda: Double

  /// Makes an estimator.
  ///
  /// - Throws: `RLHFError.invalidParameter` for γ or λ outside [0, 1].
  public init(gamma: Double, lambda: Double) throws {
    guard gamma >= 0, gamma <= 1 else {
      throw RLHFError.invalidParameter(name: "γ", value: gamma, allowed: "in [0, 1]")
    }
    guard lambda >= 0, lambda <= 1 else {
      throw RLHFError.invalidParameter(name: "λ", value: lambda, allowed: "in [0, 1]")
    }
    self.gamma = gamma
    self.lambda = lambda
  }

  /// The result of one scan.
  public struct Estimate: Sendable, Equatable {
    /// Â, raw advantages, `[B, T]` row-major.
    public var advantages: [Double]
    /// G = Â + V, the returns (value targets), `[B, T]` row-major.
    public var returns: [Double]
    /// V with padding zeroed, `[B, T]` row-major: the old values the value
    /// loss clips around.
    public var values: [Double]
  }

  /// Runs the reverse scan.
  ///
  /// - Parameters:
  ///   - grid: the batch shape B × T.
  ///   - rewards: shaped rewards, `[B, T]` row-major.
  ///   - values: value-head outputs at each response token, `[B, T]`.
  ///   - mask: response mask, `[B, T]`.
  /// - Throws: `RLHFError.shapeMismatch` for wrong sizes.
  public func estimate(
    grid: TokenGrid, rewards: [Double], values: [Double], mask: [Double]
  ) throws -> Estimate {
    try grid.check(rewards, "rewards")
    try grid.check(values, "values")
    try grid.check(mask, "response mask")
    var maskedValues = [Double](repeating: 0, count: grid.count)
    var advantages = maskedValues
    var returns = maskedValues
    for i in 0..<grid.count { maskedValues[i] = values[i] * mask[i] }
    for b in 0..<grid.batchSize {
      var running = 0.0
      for t in stride(from: grid.length - 1, through: 0, by: -1) {
        let i = grid.index(b, t)
        let next = t + 1 < grid.length ? maskedValues[i + 1] : 0
        let delta = rewards[i] * mask[i] + gamma * next - maskedValues[i]
        running = delta + gamma * lambda * running
        advantages[i] = running
        returns[i] = running + maskedValues[i]
      }
    }
    return Estimate(advantages: advantages, returns: returns, values: maskedValues)
  }
}
