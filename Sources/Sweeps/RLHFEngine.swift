import Configuration
import Foundation
import RLHF
import TextData
import Tracking

/// The RLHF engine as a `RunEngine`: the run's provenance
/// (`ProvenanceProbe`), the tokenizer stage, the task's paper sets from the
/// data directory, the shared stages through the on-disk
/// `StageCache`, PPO or RA-RLHF training with every iteration recorded, and
/// the evaluation on `RunDriver.evaluationSet`.
///
/// It builds and trains a run as `RunDriver` does, but leaves run status to
/// `RunWorker`, which also sends heartbeats and records interruptions. A
/// resumed run continues from its newest policy checkpoint (every
/// `ppo.checkpoint_every` iterations, under `cacheDirectory/runs/`): the
/// iterations recorded after it are discarded and trained again, so the
/// run records each iteration once; without a checkpoint it restarts.
public struct RLHFEngine: RunEngine {
  /// The data directory.
  public let data: DataDirectory
  /// Where the shared stages are cached.
  public let cacheDirectory: URL

  /// An engine reading `data` and caching stages in `cacheDirectory`.
  public init(data: DataDirectory, cacheDirectory: URL) {
    self.data = data
    self.cacheDirectory = cacheDirectory
  }

  /// The training prompts of `task`'s paper sets in the data directory,
  /// with the paper's evaluation set size (RealToxicityPrompts trains on
  /// what its test set leaves). The sets' sizes depend only on the texts
  /// (lengths in characters, classes, the seed), so they are counted
  /// without tokenizing.
  public func availablePrompts(for task: TaskName) throws -> Int? {
    let sets = try TaskData.load(
      task, from: data, tokenizer: NoTokens(),
      settings: TaskDataSettings.paper(task))
    return sets.trainingPrompts.count
  }

  /// A tokenizer that encodes every text to no tokens, for counting sets.
  private struct NoTokens: Tokenizer {
    var vocabularySize: Int { 1 }
    var endOfTextID: Int { 0 }
    func encode(_ text: String) -> [Int] { [] }
    func decode(_ ids: [Int]) -> String { "" }
  }

  /// Trains, or loads from the cache, the tokenizer and the shared stages,
  /// and records the evaluation of the base and SFT models as runs of
  /// algorithm `base` and `sft` linked to `sweep` (the paper's GPT-2 and
  /// SFT rows; `RunDriver.evaluateStageModels`, done once per stage).
  public func prepareStages(
    for configuration: RunConfiguration, in store: Store, sweep: SweepID?,
    progress: @escaping @Sendable (String) -> Void
  ) throws {
    let driver = RunDriver(
      data: data, store: store, cacheDirectory: cacheDirectory,
      progress: progress)
    try driver.evaluateStageModels(configuration, in: sweep)
  }

  /// Runs `configuration` as `run`, continuing from the run's newest
  /// policy checkpoint when the store has iterations of it (see the type's
  /// description), and records its evaluation.
  public func execute(
    _ configuration: RunConfiguration, as run: RunID, in store: Store,
    progress: @escaping @Sendable (String) -> Void
  ) throws {
    try store.record(
      ProvenanceProbe().provenance(task: configuration.task, data: data),
      of: run)
    let driver = RunDriver(
      data: data, store: store, cacheDirectory: cacheDirectory,
      progress: progress)
    // Making the pipeline validates the configuration against the prompts.
    let pipeline = try driver.pipeline(for: configuration)
    let stages = try pipeline.trainStages(cache: driver.cache) { progress($0) }
    try driver.trainPolicy(pipeline, stages: stages, as: run)
  }
}
