import Foundation

/// The clipped PPO objective of one minibatch and its exact gradient with
/// respect to the new log-probs and new values, so a network's backward pass
/// can start from them.
///
/// As TRL 0.7's `PPOTrainer.loss` (Schulman et al., 2017; paper Sec. 3), with
/// m the training mask and ⟨·⟩ the mean over tokens with m = 1:
///
/// - ratio ρₜ = exp(log π − log π_old);
/// - L_pg = ⟨max(−Âρ, −Â · clip(ρ, 1 − ε, 1 + ε))⟩;
/// - L_vf = ½⟨max((V − G)², (clip(V, V_old − ε_v, V_old + ε_v) − G)²)⟩;
/// - L = L_pg + c_v · L_vf.
///
/// The gradient follows PyTorch's conventions at the kinks, so it equals what
/// autograd gives: `clamp` passes the gradient on the closed interval, and an
/// element-wise `max` with equal arguments splits it half and half. If the
/// masked mean ratio exceeds the ratio threshold, TRL skips the minibatch by
/// multiplying the losses by zero; so does this (losses and gradients 0).
public struct PPOLoss: Sendable, Equatable {
  /// ε, the policy ratio clip range; > 0 (paper: 0.2).
  public let clipRange: Double
  /// ε_v, the value clip range around the old values; > 0 (paper: 0.2).
  public let valueClipRange: Double
  /// c_v, the value loss coefficient; ≥ 0 (paper: 0.1).
  public let valueCoefficient: Double
  /// Minibatches whose masked mean ratio exceeds this are skipped (TRL: 10).
  public let ratioThreshold: Double

  /// Makes a loss.
  ///
  /// - Throws: `RLHFError.invalidParameter` for a non-positive clip range or
  ///   ratio threshold, or a negative value coefficient.
  public init(
    clipRange: Double = 0.2, valueClipRange: Double = 0.2,
    valueCoefficient: Double = 0.1, ratioThreshold: Double = 10
  ) throws {
    for (name, value) in [
      ("clip range ε", clipRange), ("value clip range", valueClipRange),
      ("ratio threshold", ratioThreshold),
    ] where !(value > 0 && value.isFinite) {
      throw RLHFError.invalidParameter(name: name, value: value, allowed: "finite and > 0")
    }
    guard valueCoefficient >= 0, valueCoefficient.isFinite else {
      throw RLHFError.invalidParameter(
        name: "value coefficient", value: valueCoefficient, allowed: "finite and ≥ 0")
    }
    self.clipRange = clipRange
    self.valueClipRange = valueClipRange
    self.valueCoefficient = valueCoefficient
    self.ratioThreshold = ratioThreshold
  }

  /// Losses, gradients and TRL's per-minibatch statistics.
  public struct Evaluation: Sendable, Equatable {
    /// L_pg.
    public var policyLoss: Double
    /// L_vf before the coefficient (TRL logs it so as `ppo/loss/value`).
    public var valueLoss: Double
    /// L = L_pg + c_v · L_vf.
    public var totalLoss: Double
    /// Whether the ratio threshold made this minibatch a no-op.
    public var skipped: Bool
    /// ∂L/∂log π for each token, `[b, T]` row-major.
    public var logProbGradient: [Double]
    /// ∂L/∂V for each token, `[b, T]` row-major.
    public var valueGradient: [Double]
    /// TRL-named statistics (`ppo/loss/policy`, `ppo/val/error`, …).
    public var statistics: [String: Double]
  }

  /// Evaluates the loss on a minibatch.
  ///
  /// - Parameters:
  ///   - minibatch: the fixed targets, `[b, T]` arrays.
  ///   - logProbs: log π of each response token under the current
  ///     parameters, `[b, T]` row-major.
  ///   - values: current value-head outputs, `[b, T]` row-major.
  ///   - entropies: optional per-token entropy of the current policy's
  ///     next-token distribution, `[b, T]`; gives `ppo/policy/entropy`.
  /// - Throws: `RLHFError.shapeMismatch`, or `.maskTooSmall` when fewer than
  ///   two tokens are kept (the unbiased variances are undefined).
  public func evaluate(
    _ minibatch: PPOMinibatch, logProbs: [Double], values: [Double],
    entropies: [Double]? = nil
  ) throws -> Evaluation {
    let count = minibatch.mask.count
    for (name, array) in [("log-probs", logProbs), ("values", values)]
    where array.count != count {
      throw RLHFError.shapeMismatch(name: name, expected: count, got: array.count)
    }
    if let entropies, entropies.count != count {
      throw RLHFError.shapeMismatch(name: "entropies", expected: count, got: entropies.count)
    }
    let mask = minibatch.mask
    let kept = mask.reduce(0, +)
    guard kept > 1 else {
      throw RLHFError.maskTooSmall(quantity: "PPO loss", kept: Int(kept), needed: 2)
    }

    var policySum = 0.0
    var valueSum = 0.0
    var ratioSum = 0.0
    var policyClipped = 0.0
    var valueClipped = 0.0
    var approxKL = 0.0
    var policyKL = 0.0
    var logProbGradient = [Double](repeating: 0, count: count)
    var valueGradient = logProbGradient
    let valueScale = 0.5 * valueCoefficient / kept
    for i in 0..<count {
      let m = mask[i]
      let advantage = minibatch.advantages[i]
      let logRatio = logProbs[i] - minibatch.oldLogProbs[i]
      let ratio = exp(logRatio)
      let clippedRatio = min(max(ratio, 1 - clipRange), 1 + clipRange)
      let plain = -advantage * ratio
      let clipped = -advantage * clippedRatio
      policySum += max(plain, clipped) * m
      ratioSum += ratio * m
      policyClipped += (clipped > plain ? 1 : 0) * m
      approxKL += logRatio * logRatio * m
      policyKL += -logRatio * m
      let ratioInside = ratio >= 1 - clipRange && ratio <= 1 + clipRange
      let (wPlain, wClipped) = Self.maxWeights(plain, clipped)
      let dRatio = -advantage * (wPlain + wClipped * (ratioInside ? 1 : 0))
      logProbGradient[i] = dRatio * ratio * m / kept

      let value = values[i]
      let old = minibatch.values[i]
      let target = minibatch.returns[i]
      let clippedValue = min(max(value, old - valueClipRange), old + valueClipRange)
      let plainError = (value - target) * (value - target)
      let clippedError = (clippedValue - target) * (clippedValue - target)
      valueSum += max(plainError, clippedError) * m
      valueClipped += (clippedError > plainError ? 1 : 0) * m
      let valueInside = value >= old - valueClipRange && value <= old + valueClipRange
      let (vPlain, vClipped) = Self.maxWeights(plainError, clippedError)
      let dValue =
        vPlain * 2 * (value - target)
        + vClipped * (valueInside ? 2 * (clippedValue - target) : 0)
      valueGradient[i] = dValue * m * valueScale
    }
    var policyLoss = policySum / kept
    var valueLoss = 0.5 * valueSum / kept
    var totalLoss = policyLoss + valueCoefficient * valueLoss
    let skipped = ratioSum / kept > ratioThreshold
    if skipped {
      policyLoss *= 0
      valueLoss *= 0
      totalLoss *= 0
      for i in 0..<count {
        logProbGradient[i] = 0
        valueGradient[i] = 0
      }
    }

    var statistics: [String: Double] = [
      "ppo/loss/policy": policyLoss,
      "ppo/loss/value": valueLoss,
      "ppo/loss/total": totalLoss,
      "ppo/policy/approxkl": 0.5 * approxKL / kept,
      "ppo/policy/policykl": policyKL / kept,
      "ppo/policy/clipfrac": policyClipped / kept,
      "ppo/policy/advantages_mean": try MaskedStatistics.mean(
        minibatch.advantages, mask: mask),
      "ppo/returns/mean": try MaskedStatistics.mean(minibatch.returns, mask: mask),
      "ppo/returns/var": try MaskedStatistics.variance(minibatch.returns, mask: mask),
      "ppo/val/vpred": try MaskedStatistics.mean(values, mask: mask),
      "ppo/val/error": try MaskedStatistics.mean(
        zip(values, minibatch.returns).map { ($0 - $1) * ($0 - $1) }, mask: mask),
      "ppo/val/clipfrac": valueClipped / kept,
      "ppo/val/mean": try MaskedStatistics.mean(minibatch.values, mask: mask),
      "ppo/val/var": try MaskedStatistics.variance(minibatch.values, mask: mask),
    ]
    if let entropies {
      statistics["ppo/policy/entropy"] = try MaskedStatistics.mean(entropies, mask: mask)
    }
    return Evaluation(
      policyLoss: policyLoss, valueLoss: valueLoss, totalLoss: totalLoss,
      skipped: skipped, logProbGradient: logProbGradient,
      valueGradient: valueGradient, statistics: statistics)
  }

  /// How PyTorch's element-wise max routes its gradient: all to the larger
  /// argument, half to each on a tie.
  static func maxWeights(_ a: Double, _ b: Double) -> (Double, Double) {
    if a > b { return (1, 0) }
    if b > a { return (0, 1) }
    return (0.5, 0.5)
  }
}
