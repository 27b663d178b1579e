import Configuration
import Tracking

/// The store's description of a configured run.
extension RunConfiguration {
  /// The run as the store registers it: identity, name, the columns the
  /// reports filter on (task, algorithm, preset, α, n, ρ, seed), the
  /// canonical JSON and M.
  ///
  /// - Parameter iterationsPlanned: M, the PPO iterations planned, when the
  ///   task's prompt count is known.
  public func runSpec(iterationsPlanned: Int?) -> RunSpec {
    let algorithm: RunSpec.Algorithm =
      switch self.algorithm {
      case .rlhf: .rlhf
      case .raRLHF: .raRLHF
      }
    let risk = appliedRisk
    return RunSpec(
      identity: identity, name: name, task: task.rawValue,
      algorithm: algorithm, preset: preset.rawValue, alpha: risk?.alpha,
      warmStart: risk?.warmStart, rho: risk?.rho, seed: seed,
      configJSON: canonicalJSON, iterationsPlanned: iterationsPlanned)
  }
}
