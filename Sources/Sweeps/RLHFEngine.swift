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
/// It builds a run's inputs as `RunDriver` does (tokenizer, sets with seed
/// 0, `RunInputs.make`), but leaves run status to `RunWorker`, which also
/// sends heartbeats and records interruptions. Runs restart
/// from the first iteration: the engine does not checkpoint the policy
/// mid-run, so a resumed run's partial results are cleared first.
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

  /// Runs restart; see the type's description.
  public var continuesRuns: Bool { false }

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

  /// Runs `configuration` from its first iteration (`firstIteration` is 0
  /// since runs restart).
  public func execute(
    _ configuration: RunConfiguration, as run: RunID, in store: Store,
    from firstIteration: Int, progress: @escaping @Sendable (String) -> Void
  ) throws {
    try store.record(
      ProvenanceProbe().provenance(task: configuration.task, data: data),
      of: run)
    let cache = StageCache(directory: cacheDirectory)
    let pipeline = try self.pipeline(configuration, cache: cache, store: store)
    try configuration.validate(
      availablePrompts: pipeline.inputs.trainPrompts.count)
    let stages = try pipeline.trainStages(cache: cache) { progress($0) }
    try pipeline.recordStageArtifacts(cache: cache, store: store, run: run)
    let policy = try pipeline.trainPolicy(
      stages: stages, store: store, run: run
    ) { result in
      let reward = result.statistics["env/reward_mean"] ?? .nan
      progress(
        "iteration \(result.iteration + 1)/\(pipeline.iterations): "
          + "reward \(reward)")
    }
    _ = try pipeline.evaluate(
      policy, stages: stages, store: store, run: run,
      evalSet: RunDriver.evaluationSet)
  }

  /// The tokenizer, the task's sets (prompts stored in `store`) and the
  /// pipeline of `configuration`.
  private func pipeline(
    _ configuration: RunConfiguration, cache: StageCache, store: Store
  ) throws -> RunPipeline {
    let tokenizer = try TokenizerStage.tokenizer(
      for: configuration, data: data, cache: cache)
    let sets = try TaskData.load(
      configuration.task, from: data, tokenizer: tokenizer,
      settings: configuration.taskDataSettings)
    let inputs = try RunInputs.make(
      from: sets, tokenizer: tokenizer, configuration: configuration,
      store: store)
    return try RunPipeline(configuration: configuration, inputs: inputs)
  }
}
