/// A learning rate as a function of the optimiser step: a linear warm-up
/// from 0 followed by a constant rate or a linear decay.
public struct LearningRateSchedule: Sendable, Equatable {
  /// What happens after the warm-up.
  public enum Decay: Sendable, Equatable {
    /// The peak rate is kept.
    case constant
    /// The rate falls linearly from the peak to 0 at `totalSteps`, as
    /// Hugging Face's `get_linear_schedule_with_warmup` does.
    case linear(totalSteps: Int)
  }

  /// The rate reached at the end of the warm-up.
  public let peak: Float
  /// The number of warm-up steps (0 for none).
  public let warmupSteps: Int
  /// The shape after the warm-up.
  public let decay: Decay

  /// A schedule peaking at `peak` after `warmupSteps` steps.
  public init(peak: Float, warmupSteps: Int = 0, decay: Decay = .constant) {
    precondition(warmupSteps >= 0, "warmupSteps must be ≥ 0, got \(warmupSteps)")
    self.peak = peak
    self.warmupSteps = warmupSteps
    self.decay = decay
  }

  /// The rate for step `step` (0-based: the rate used by the first
  /// `optimizer.step()` is `rate(at: 0)`).
  ///
  /// As in Hugging Face: `peak · step / warmupSteps` while `step <
  /// warmupSteps`, then `peak`, or `peak · (total − step) / (total −
  /// warmupSteps)` never below 0.
  public func rate(at step: Int) -> Float {
    if step < warmupSteps {
      return peak * Float(step) / Float(warmupSteps)
    }
    switch decay {
    case .constant:
      return peak
    case .linear(let totalSteps):
      let remaining = Float(Swift.max(totalSteps - step, 0))
      return peak * remaining / Float(Swift.max(totalSteps - warmupSteps, 1))
    }
  }
}
