/// The controller of the KL coefficient β that weighs the per-token penalty
/// −β(log π − log π_ref) in the shaped reward.
///
/// The adaptive rule is Ziegler et al. (2019), as in TRL 0.7's
/// `AdaptiveKLController` and the RA-RLHF paper (Sec. 4, β update):
/// e = clip(KL/target − 1, −0.2, 0.2), β ← β · (1 + e · B/horizon), where B is
/// the batch size (TRL passes `batch_size` as the step count). The fixed rule
/// leaves β alone.
public struct KLController: Sendable, Equatable {
  /// How β evolves.
  public enum Rule: Sendable, Equatable {
    /// β follows the proportional rule toward `target` (nats per episode,
    /// > 0) with `horizon` (episodes, > 0) setting the pace.
    case adaptive(target: Double, horizon: Double)
    /// β stays at its initial value.
    case fixed
  }

  /// β, the current KL coefficient; ≥ 0.
  public private(set) var coefficient: Double
  /// The update rule.
  public let rule: Rule

  /// Makes a controller starting at β₀ = `initialCoefficient`.
  ///
  /// - Throws: `RLHFError.invalidParameter` for β₀ < 0 or not finite, or an
  ///   adaptive target or horizon that is not positive and finite.
  public init(initialCoefficient: Double, rule: Rule) throws {
    guard initialCoefficient >= 0, initialCoefficient.isFinite else {
      throw RLHFError.invalidParameter(
        name: "β₀ (initial KL coefficient)", value: initialCoefficient,
        allowed: "finite and ≥ 0")
    }
    if case .adaptive(let target, let horizon) = rule {
      guard target > 0, target.isFinite else {
        throw RLHFError.invalidParameter(
          name: "KL target", value: target, allowed: "finite and > 0")
      }
      guard horizon > 0, horizon.isFinite else {
        throw RLHFError.invalidParameter(
          name: "KL horizon", value: horizon, allowed: "finite and > 0")
      }
    }
    self.coefficient = initialCoefficient
    self.rule = rule
  }

  /// Sets β to a value saved from an earlier run of the same controller
  /// (resuming from a checkpoint).
  ///
  /// - Throws: `RLHFError.invalidParameter` for β < 0 or not finite.
  public mutating func restore(coefficient: Double) throws {
    guard coefficient >= 0, coefficient.isFinite else {
      throw RLHFError.invalidParameter(
        name: "restored KL coefficient β", value: coefficient, allowed: "finite and ≥ 0")
    }
    self.coefficient = coefficient
  }

  /// Updates β after an iteration whose observed KL was `observedKL` (nats
  /// per episode, see `KLControllerInput`) over `steps` episodes (B).
  public mutating func update(observedKL: Double, steps: Int) {
    guard case .adaptive(let target, let horizon) = rule else { return }
    let error = min(max(observedKL / target - 1, -0.2), 0.2)
    coefficient *= 1 + error * Double(steps) / horizon
  }
}
