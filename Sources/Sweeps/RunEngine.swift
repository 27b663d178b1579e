import Configuration
import Foundation
import TextData
import Tracking

/// What executes one configured run: the RLHF engine, or a stand-in that
/// tests of the pool use. `RunWorker` drives it inside a run's process.
public protocol RunEngine: Sendable {
  /// Whether a resumed run continues after its last recorded iteration;
  /// when false, a resumed run restarts and its partial results (iterations,
  /// episodes, evaluations) are cleared first.
  var continuesRuns: Bool { get }

  /// The training prompts the data has for `task`, for M and the checks
  /// that need it; nil when unknown.
  func availablePrompts(for task: TaskName) throws -> Int?

  /// Computes (or finds in its cache) the shared stages of `configuration`
  /// (tokenizer, base model, SFT, reward model, judge) without training a
  /// policy, and records what the engine evaluates of them (the base and
  /// SFT models' rows) as runs linked to `sweep`.
  ///
  /// - Parameter progress: called with a short line after each step.
  func prepareStages(
    for configuration: RunConfiguration, in store: Store, sweep: SweepID?,
    progress: @escaping @Sendable (String) -> Void
  ) throws

  /// Executes `configuration` as `run`, recording every iteration from
  /// `firstIteration` on, and its evaluation, in `store`.
  ///
  /// - Parameter progress: called with a short line after each step.
  func execute(
    _ configuration: RunConfiguration, as run: RunID, in store: Store,
    from firstIteration: Int, progress: @escaping @Sendable (String) -> Void
  ) throws
}
