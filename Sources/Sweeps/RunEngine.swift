import Configuration
import Foundation
import TextData
import Tracking

/// What executes one configured run: the RLHF engine, or a stand-in that
/// tests of the pool use. `RunWorker` drives it inside a run's process.
public protocol RunEngine: Sendable {
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

  /// Executes `configuration` as `run`, recording every iteration and its
  /// evaluation in `store`.
  ///
  /// A run `store` already has iterations of continues from the newest
  /// state the engine can restore (a policy checkpoint) and first discards
  /// what was recorded after it (`Store.discardProgress`): later iterations
  /// and any evaluation. Each iteration is then recorded exactly once; an
  /// engine without such a state restarts the run and discards all of it.
  ///
  /// - Parameter progress: called with a short line after each step.
  func execute(
    _ configuration: RunConfiguration, as run: RunID, in store: Store,
    progress: @escaping @Sendable (String) -> Void
  ) throws
}
