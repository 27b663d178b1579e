import Checksums
import Configuration
import Foundation
import TextData
import Tracking

/// Runs configured experiments end to end against one data directory,
/// tracking store and stage cache: tokenizer, the task's paper sets, the
/// shared stages, PPO or RA-RLHF training with every iteration stored, and
/// the evaluation of the trained policy; plus the evaluation rows of the
/// base and SFT models, shared by every run that shares those stages.
///
/// A run's status goes `running`, then `done` or `failed` with the error's
/// text; a run already `done` is not repeated, and a run stopped before
/// the end (crashed, interrupted, failed) resumes from its newest policy
/// checkpoint, kept in `cacheDirectory/runs/<identity>/`.
public final class RunDriver {
  /// The data directory.
  public let data: DataDirectory
  /// The tracking store.
  public let store: Store
  /// The stage cache.
  public let cache: StageCache
  /// Receives one line per stage epoch and per PPO iteration.
  public let progress: ((String) -> Void)?
  /// Wraps the trained reward model into the R(x, y) the policy trains
  /// against (the evaluation keeps the reward model); nil uses it as is.
  /// Lets a test make a score non-finite at a chosen iteration.
  var trainingRewardModel: ((ClassifierRewardModel) -> any RewardScorer)?

  /// A driver over `data`, recording into `store`, caching stages in
  /// `cacheDirectory`.
  public init(
    data: DataDirectory, store: Store, cacheDirectory: URL,
    progress: ((String) -> Void)? = nil
  ) {
    self.data = data
    self.store = store
    self.cache = StageCache(directory: cacheDirectory)
    self.progress = progress
  }

  /// The name of the evaluation set in `evaluations` and `episodes`.
  public static let evaluationSet = "test"

  /// Runs `configuration` (RLHF or RA-RLHF) and returns its run id; first
  /// evaluates its base and SFT models (`evaluateStageModels`) unless
  /// another run of the same stages already has.
  ///
  /// - Throws: `ConfigurationError` for a configuration the data cannot
  ///   satisfy (before the run is registered), `RLHFError.unusableCheckpoint`
  ///   for a checkpoint that does not fit the run, `RLHFError.nonFinite` at
  ///   a NaN or infinite training quantity, and any stage error (the run is
  ///   then marked `failed` with the error's text; the iterations recorded
  ///   before it stay, and a later call resumes from the newest checkpoint).
  @discardableResult
  public func run(_ configuration: RunConfiguration, in sweep: SweepID? = nil) throws -> RunID {
    // Making the pipeline validates the configuration against the prompts.
    let pipeline = try self.pipeline(for: configuration)
    let risk = configuration.algorithm == .raRLHF ? configuration.risk : nil
    let run = try store.register(
      RunSpec(
        identity: configuration.identity, name: configuration.name,
        task: configuration.task.rawValue,
        algorithm: configuration.algorithm == .raRLHF ? .raRLHF : .rlhf,
        preset: configuration.preset.rawValue, alpha: risk?.alpha, warmStart: risk?.warmStart,
        rho: risk?.rho, seed: configuration.seed, configJSON: configuration.canonicalJSON,
        iterationsPlanned: pipeline.iterations),
      in: sweep)
    let status = try store.run(run)?.status
    if status == .done { return run }
    // A run found `running` was left so by a process that died before the
    // sweep marked it crashed; this process takes it over.
    if status != .running { try store.setStatus(.running, of: run) }
    do {
      let stages = try pipeline.trainStages(cache: cache, progress: progress)
      try evaluateStageModels(configuration, pipeline: pipeline, stages: stages, in: sweep)
      try trainPolicy(pipeline, stages: stages, as: run)
      try store.setStatus(.done, of: run)
    } catch {
      try? store.setStatus(.failed, of: run, error: String(describing: error))
      throw error
    }
    return run
  }

  /// Evaluates the base and SFT models of `configuration`'s stages as runs
  /// of algorithm `base` and `sft` (the paper's GPT2 and SFT rows), once
  /// per distinct stage and evaluation setting (so once per task and preset,
  /// whatever the seed or algorithm), and returns their ids. Each row also
  /// carries the held-out accuracy and ROC AUC of the reward model and the
  /// judge (`RunPipeline.classifierMetrics`), computed once for both rows.
  /// A row another process is evaluating (`running`) is left to it.
  @discardableResult
  public func evaluateStageModels(
    _ configuration: RunConfiguration, in sweep: SweepID? = nil
  ) throws -> (base: RunID, sft: RunID) {
    let pipeline = try self.pipeline(for: configuration)
    let stages = try pipeline.trainStages(cache: cache, progress: progress)
    return try evaluateStageModels(configuration, pipeline: pipeline, stages: stages, in: sweep)
  }

  @discardableResult
  func evaluateStageModels(
    _ configuration: RunConfiguration, pipeline: RunPipeline, stages: RunPipeline.Stages,
    in sweep: SweepID?
  ) throws -> (base: RunID, sft: RunID) {
    let keys = pipeline.stageKeys
    var ids: [RunID] = []
    var classifierMetrics: [String: Double]?
    for (algorithm, key, model) in [
      (RunSpec.Algorithm.base, keys.base, stages.base), (.sft, keys.sft, stages.sft),
    ] {
      let description =
        "{\"stage\":\"\(algorithm.rawValue)\",\"stage_key\":\"\(key)\","
        + "\"reward_key\":\"\(keys.reward)\",\"judge_key\":\"\(keys.judge)\","
        + "\"eval\":\"\(Self.evaluationDescription(configuration))\"}"
      let identity = SHA256.hex(of: description)
      let run = try store.register(
        RunSpec(
          identity: identity,
          name: "\(configuration.task.rawValue)-\(algorithm.rawValue)-\(identity.prefix(8))",
          task: configuration.task.rawValue, algorithm: algorithm,
          preset: configuration.preset.rawValue, seed: Int(RunPipeline.stageSeed),
          configJSON: description),
        in: sweep)
      ids.append(run)
      // Done, or being evaluated by another process of the sweep.
      guard try claim(run) else { continue }
      do {
        try store.discardProgress(of: run, after: nil)
        try pipeline.recordStageArtifacts(cache: cache, store: store, run: run)
        _ = try pipeline.evaluate(
          model, stages: stages, store: store, run: run, evalSet: Self.evaluationSet)
        let metrics = try classifierMetrics ?? pipeline.classifierMetrics(stages: stages)
        classifierMetrics = metrics
        try store.record(evaluationMetrics: metrics, of: run, on: Self.evaluationSet)
        try store.setStatus(.done, of: run)
      } catch {
        try? store.setStatus(.failed, of: run, error: String(describing: error))
        throw error
      }
    }
    return (ids[0], ids[1])
  }

  /// Trains `pipeline`'s policy as `run` and records its evaluation on
  /// `evaluationSet`, after linking the shared stages' checkpoints to the
  /// run. A run the store already has iterations of continues from its
  /// newest policy checkpoint (`checkpoints(of:)`): the iterations recorded
  /// after it and any evaluation are discarded and redone, so each
  /// iteration is recorded once; without a checkpoint it restarts from the
  /// first iteration (`RunPipeline.trainPolicy`). `progress` gets a line
  /// when the run continues and one per iteration.
  ///
  /// - Throws: `RLHFError.unusableCheckpoint` for a checkpoint that does
  ///   not fit the run; trainer, store and file errors.
  public func trainPolicy(
    _ pipeline: RunPipeline, stages: RunPipeline.Stages, as run: RunID
  ) throws {
    let iterations = pipeline.iterations
    try pipeline.recordStageArtifacts(cache: cache, store: store, run: run)
    let policy = try pipeline.trainPolicy(
      stages: stages, store: store, run: run,
      checkpoints: checkpoints(of: pipeline.configuration),
      rewardModel: trainingRewardModel?(stages.rewardModel),
      progress: { self.progress?(Self.line($0, of: iterations)) },
      resumed: { last in
        self.progress?(
          "continuing from the checkpoint after iteration \(last + 1)/\(iterations)")
      })
    _ = try pipeline.evaluate(
      policy, stages: stages, store: store, run: run, evalSet: Self.evaluationSet)
  }

  /// The policy checkpoints of `configuration`'s run, under the stage
  /// cache's `runs/` folder.
  public func checkpoints(of configuration: RunConfiguration) -> RunCheckpoints {
    RunCheckpoints(root: cache.directory, identity: configuration.identity)
  }

  // MARK: - Steps

  /// Marks a base or SFT evaluation run `running` for this process; false
  /// when it is done or another process holds it (`running`).
  func claim(_ run: RunID) throws -> Bool {
    let status = try store.run(run)?.status
    if status == .done || status == .running { return false }
    do {
      try store.setStatus(.running, of: run)
      return true
    } catch {
      // Another process claimed it between the read and the write.
      if case .invalidTransition = error { return false }
      throw error
    }
  }

  /// The pipeline of `configuration`: its tokenizer (trained or read from
  /// the cache) and the task's sets, whose prompts are stored in `store`.
  ///
  /// - Throws: `RLHFError.missingPretrainedWeights` for the `gpt2` preset
  ///   without GPT-2's weights (before any data is read); `TextDataError`
  ///   for missing or unreadable data; `RLHFError` when the inputs do not
  ///   fit together.
  public func pipeline(for configuration: RunConfiguration) throws -> RunPipeline {
    let weights = try initialWeights(for: configuration)
    let (tokenizer, artifact) = try TokenizerStage.load(
      for: configuration, data: data, cache: cache)
    let taskData = try TaskData.load(
      configuration.task, from: data, tokenizer: tokenizer,
      settings: configuration.taskDataSettings)
    let inputs = try RunInputs.make(
      from: taskData, tokenizer: tokenizer, configuration: configuration, store: store)
    var pipeline = try RunPipeline(configuration: configuration, inputs: inputs)
    pipeline.tokenizerArtifact = artifact
    pipeline.initialWeights = weights
    return pipeline
  }

  /// Where the `gpt2` preset's pretrained weights are read, relative to the
  /// data directory: Hugging Face's layout for the `gpt2` model.
  public static let pretrainedGPT2Path = DataDirectory.pretrainedGPT2Path

  /// The base model's starting weights: GPT-2 124M's for the `gpt2`
  /// preset (checked before any data is read), none otherwise.
  ///
  /// - Throws: `RLHFError.missingPretrainedWeights` when the file is absent.
  func initialWeights(
    for configuration: RunConfiguration
  ) throws -> (url: URL, sha256: String)? {
    guard configuration.preset == .gpt2 else { return nil }
    let url = data.url.appendingPathComponent(Self.pretrainedGPT2Path)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw RLHFError.missingPretrainedWeights(path: url.path)
    }
    return (url, try SHA256.hex(ofFileAt: url))
  }

  static func evaluationDescription(_ configuration: RunConfiguration) -> String {
    let data = configuration.data
    let eval = configuration.eval
    // The perplexity cut is named only when it is not the paper's, which
    // every row used before `eval.perplexity_chars` took effect, so those
    // rows keep their identities.
    let paperCut = TaskDataSettings.paperPerplexityCharacters(configuration.task)
    let cut = eval.perplexityCharacters == paperCut ? "" : ";ppl_chars=\(eval.perplexityCharacters)"
    return "prompt_tokens=\(data.promptTokens);new_tokens=\(data.newTokens);"
      + "eval_prompts=\(data.evalPrompts.map(String.init) ?? "all");"
      + "tail=\(data.tailThreshold);tail_quantile=\(eval.tailQuantile);"
      + "batch=\(eval.batchSize);seed=\(eval.seed);"
      + "ppl_texts=\(eval.perplexityTexts.map(String.init) ?? "all");"
      + "top_k=\(configuration.ppo.topK);top_p=\(configuration.ppo.topP)\(cut)"
  }

  /// One iteration's progress line, counting iterations from 1 of M.
  static func line(_ result: IterationResult, of iterations: Int) -> String {
    let reward = result.statistics["env/reward_mean"] ?? .nan
    let kl = result.statistics["objective/kl"] ?? .nan
    let seconds = result.statistics["time/ppo/total"] ?? .nan
    return "iteration \(result.iteration + 1)/\(iterations): kept \(result.keptCount),"
      + " reward \(reward), KL \(kl), \(String(format: "%.3f", seconds)) s"
  }
}
