import Configuration
import Foundation
import TextData
import Tracking

/// A stand-in for the RLHF engine that records plausible iterations
/// without training anything, so the worker pool, resume and failure
/// handling can be tested on real child processes in seconds.
///
/// It is chosen only when `RARLHF_ENGINE=simulated` is set; nothing it
/// records is a result. Each iteration sleeps `delay` seconds and records
/// `env/reward_mean` = seed + iteration / 100 (no episodes). When
/// `failingSeed` equals the run's seed it fails at iteration 1 with a
/// non-finite loss, as a diverged run does.
public struct SimulatedEngine: RunEngine {
  /// Seconds each iteration takes.
  public let delay: TimeInterval
  /// The seed whose runs fail, if any.
  public let failingSeed: Int?
  /// Training prompts reported for every task.
  public let prompts: Int

  /// A stand-in engine; see the properties.
  public init(delay: TimeInterval, failingSeed: Int?, prompts: Int = 1024) {
    self.delay = delay
    self.failingSeed = failingSeed
    self.prompts = prompts
  }

  /// The engine `RARLHF_SIMULATED_DELAY` (seconds, default 0.2) and
  /// `RARLHF_SIMULATED_FAIL_SEED` describe.
  public init(environment: [String: String]) {
    self.init(
      delay: environment["RARLHF_SIMULATED_DELAY"].flatMap(Double.init) ?? 0.2,
      failingSeed: environment["RARLHF_SIMULATED_FAIL_SEED"].flatMap(Int.init))
  }

  /// `prompts` for every task.
  public func availablePrompts(for task: TaskName) throws -> Int? { prompts }

  /// Nothing to prepare.
  public func prepareStages(
    for configuration: RunConfiguration, in store: Store, sweep: SweepID?,
    progress: @escaping @Sendable (String) -> Void
  ) throws {}

  /// Records M iterations, continuing after the last one recorded: every
  /// iteration is its own checkpoint, so only a previous evaluation (none
  /// is recorded here) would be discarded.
  public func execute(
    _ configuration: RunConfiguration, as run: RunID, in store: Store,
    progress: @escaping @Sendable (String) -> Void
  ) throws {
    let iterations = configuration.iterations(availablePrompts: prompts)
    let last = try store.lastIteration(of: run)
    try store.discardProgress(of: run, after: last)
    let firstIteration = last.map { $0 + 1 } ?? 0
    for iteration in firstIteration..<max(firstIteration, iterations) {
      Thread.sleep(forTimeInterval: delay)
      if configuration.seed == failingSeed, iteration == 1 {
        throw SweepError.simulatedDivergence(iteration: iteration)
      }
      let reward = Double(configuration.seed) + Double(iteration) / 100
      try store.record(
        IterationRecord(
          iteration: iteration, keptCount: 0,
          statistics: ["env/reward_mean": reward], episodes: []),
        of: run)
      progress("iteration \(iteration + 1)/\(iterations)")
    }
  }
}
