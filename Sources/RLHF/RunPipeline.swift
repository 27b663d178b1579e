import Configuration
import Foundation
import Models
import Tensors
import Tracking

/// One configured run from data to stored results: the shared stages
/// (base language model, SFT, reward model, judge), the PPO or RA-RLHF
/// policy training with every iteration recorded, and the evaluation.
///
/// The policy's random sources derive from `configuration.seed`; the shared
/// stages' from `stageSeed`. The
/// policy and the reference model both start from the SFT model (paper
/// Sec. 3); the policy's value head is freshly initialised, as TRL does when
/// it wraps a language model. Classifiers start from the base model's trunk.
///
/// Shared stages can be cached on disk (`StageCache`). The policy training
/// saves a `PolicyCheckpoint` every `ppo.checkpoint_every` iterations and
/// after the last, and an interrupted run resumes from its newest one.
public struct RunPipeline: Sendable {
  /// The resolved configuration.
  public let configuration: RunConfiguration
  /// The tokenized data.
  public let inputs: RunInputs
  /// The tokenizer's files (`TokenizerStage.load`), recorded with the stage
  /// checkpoints; nil when the tokenizer has none.
  public var tokenizerArtifact: ArtifactRecord?
  /// Weights the base model starts from instead of a random
  /// initialisation (a safetensors file in Hugging Face's GPT-2 layout, such
  /// as GPT-2 124M's `model.safetensors`), with the file's SHA-256, which
  /// enters the base stage's cache key; `base.epochs` then fine-tunes them
  /// (0 keeps them as they are). nil trains the base model from scratch.
  public var initialWeights: (url: URL, sha256: String)?

  /// Makes a pipeline.
  ///
  /// - Throws: `RLHFError` when the inputs do not fit together;
  ///   `ConfigurationError` when the configuration breaks a rule given the
  ///   inputs' training prompts (fewer than one batch, a `ppo.iterations`
  ///   cap above M, ⌈αB⌉ < 1, n ≥ ⌈ρM⌉), before anything is trained.
  public init(configuration: RunConfiguration, inputs: RunInputs) throws {
    try inputs.validate()
    try configuration.validate(availablePrompts: inputs.trainPrompts.count)
    self.configuration = configuration
    self.inputs = inputs
  }

  /// The models the shared stages produce.
  public struct Stages {
    /// The base language model.
    public let base: GPT
    /// The SFT model.
    public let sft: GPT
    /// The reward model R(x, y).
    public let rewardModel: ClassifierRewardModel
    /// The held-out judge.
    public let judge: ClassifierRewardModel
  }

  /// Tokens per SFT text: the paper fine-tunes GPT-2 on sequences of 64.
  public static let sftSequenceLength = 64

  /// The PPO iterations this run trains: M, or fewer under a
  /// `ppo.iterations` cap.
  public var iterations: Int {
    configuration.iterations(availablePrompts: inputs.trainPrompts.count)
  }

  /// M, one pass over the training prompts, ⌊prompts / B⌋: the length of
  /// the soft-risk schedule even when a cap stops the run earlier.
  public var passIterations: Int {
    configuration.passIterations(availablePrompts: inputs.trainPrompts.count)
  }

  // MARK: - Stages

  /// Trains (or, with a cache, loads) the base model, SFT, reward model and
  /// judge. Their random streams derive from `stageSeed`, not the run's
  /// seed, so every seed of a sweep shares them, as the paper's single GPT-2
  /// and SFT rows imply.
  public func trainStages(
    cache: StageCache? = nil, progress: ((String) -> Void)? = nil
  ) throws -> Stages {
    let root = RandomGenerator(seed: Self.stageSeed).derived("stages")
    let keys = stageKeys
    let base = try languageModel(stage: "base", key: keys.base, cache: cache) {
      var initial = root.derived("base-init")
      let model = try GPT(configuration: modelConfiguration, generator: &initial)
      if let initialWeights {
        progress?("base: weights from \(initialWeights.url.path)")
        try model.loadWeights(from: initialWeights.url)
      }
      _ = try LanguageModelTrainer(
        settings: configuration.base, sequenceLength: configuration.model.context,
        padToken: inputs.padToken, seed: root.derived("base").key
      ).train(model, on: inputs.corpus) { progress?("base \($0)") }
      return model
    }
    let sft = try languageModel(stage: "sft", key: keys.sft, cache: cache) {
      let model = base.copy()
      _ = try LanguageModelTrainer(
        settings: configuration.sft,
        sequenceLength: min(configuration.model.context, Self.sftSequenceLength),
        padToken: inputs.padToken, seed: root.derived("sft").key
      ).train(model, on: inputs.sftTexts) { progress?("sft \($0)") }
      return model
    }
    let rewardModel = try classifier(
      named: "reward", key: keys.reward, texts: inputs.rewardTexts,
      labels: inputs.rewardLabels, base: base, root: root, cache: cache, progress: progress)
    let judge = try classifier(
      named: "judge", key: keys.judge, texts: inputs.judgeTexts, labels: inputs.judgeLabels,
      base: base, root: root, cache: cache, progress: progress)
    return Stages(base: base, sft: sft, rewardModel: rewardModel, judge: judge)
  }

  /// Records the cached stage checkpoints as artifacts of `run` (kind
  /// `checkpoint`, roles `base`, `sft`, `reward-model`, `judge`), and the
  /// tokenizer's files when known (kind and role `tokenizer`).
  ///
  /// - Throws: `TrackingError` when a file cannot be read or written.
  public func recordStageArtifacts(cache: StageCache, store: Store, run: RunID) throws {
    if let tokenizerArtifact {
      try store.link(try store.record(tokenizerArtifact), to: run, role: "tokenizer")
    }
    let keys = stageKeys
    for (stage, key, role) in [
      ("base", keys.base, "base"), ("sft", keys.sft, "sft"),
      ("reward", keys.reward, "reward-model"), ("judge", keys.judge, "judge"),
    ] {
      let artifact = try store.recordArtifact(
        kind: "checkpoint", fileAt: cache.url(stage: stage, key: key))
      try store.link(artifact, to: run, role: role)
    }
  }

  /// The seed of the shared stages.
  public static let stageSeed: UInt64 = 0

  /// The cache keys of the four stages: each covers its own settings and
  /// data and the key of the stage it starts from.
  public var stageKeys: (base: String, sft: String, reward: String, judge: String) {
    let model = configuration.model
    let base = StageCache.key(
      [
        "base", "vocab=\(model.vocabSize)", "d=\(model.dModel)", "layers=\(model.layers)",
        "heads=\(model.heads)", "context=\(model.context)", "pad=\(inputs.padToken)",
        "seed=\(Self.stageSeed)", Self.describe(configuration.base),
      ] + (initialWeights.map { ["init=\($0.sha256)"] } ?? []), texts: [inputs.corpus])
    let sft = StageCache.key(
      ["sft", base, "length=\(Self.sftSequenceLength)", Self.describe(configuration.sft)],
      texts: [inputs.sftTexts])
    func classifierKey(_ name: String, _ texts: [[Int]], _ labels: [Int]) -> String {
      StageCache.key(
        [name, base, Self.describe(configuration.reward)], texts: [texts, [labels]])
    }
    return (
      base, sft, classifierKey("reward", inputs.rewardTexts, inputs.rewardLabels),
      classifierKey("judge", inputs.judgeTexts, inputs.judgeLabels)
    )
  }

  static func describe(_ settings: TrainingSettings) -> String {
    "epochs=\(settings.epochs);lr=\(settings.learningRate);batch=\(settings.batchSize)"
  }

  func languageModel(
    stage: String, key: String, cache: StageCache?, train: () throws -> GPT
  ) throws -> GPT {
    guard let cache else { return try train() }
    return try cache.languageModel(
      stage: stage, key: key, configuration: modelConfiguration, train: train)
  }

  // MARK: - Policy

  /// Trains the policy with PPO (RLHF) or RA-RLHF, recording every
  /// iteration into `store` under `run` in one transaction each, and
  /// returns the trained policy.
  ///
  /// With `checkpoints`, the state is saved there after every K-th
  /// iteration (`ppo.checkpoint_every`) and after the last, each file
  /// recorded as an artifact of `run` (kind `checkpoint`, role `policy`).
  /// When `store` already has iterations of `run`, training resumes from
  /// the newest checkpoint at or below the last of them: the iterations
  /// after the checkpoint and any evaluation are deleted
  /// (`Store.discardProgress`) and redone, giving the episodes an
  /// uninterrupted run gives. Without a usable checkpoint the run restarts.
  /// `resumed` is called with the checkpoint's iteration when training
  /// continues from one. `progress` sees each iteration once it is recorded
  /// (and checkpointed); an error it throws stops the training there, as an
  /// interruption would. `rewardModel` replaces `stages.rewardModel` as
  /// R(x, y) of the training (not of the evaluation) when given.
  ///
  /// - Throws: `RLHFError.unusableCheckpoint` for a checkpoint of another
  ///   run or a broken file; `RLHFError.nonFinite` naming the iteration and
  ///   the quantity at the first NaN or infinite score, loss or statistic
  ///   (the iterations before it stay recorded); trainer, store, file and
  ///   `progress` errors.
  public func trainPolicy(
    stages: Stages, store: Store, run: RunID, checkpoints: RunCheckpoints? = nil,
    rewardModel: (any RewardScorer)? = nil,
    progress: ((IterationResult) throws -> Void)? = nil, resumed: ((Int) -> Void)? = nil
  ) throws -> GPT {
    let settings = try PPOTrainerSettings(configuration, iterations: passIterations)
    var headInit = RandomGenerator(seed: seed).derived("value-head")
    let model = try GPT(configuration: modelConfiguration, valueHead: true, generator: &headInit)
    for (target, source) in zip(model.trunk.parameters, stages.sft.trunk.parameters) {
      target.assign(source.value)
    }
    let policy = GPTPolicy(
      model: model, learningRate: Float(configuration.ppo.learningRate),
      padToken: inputs.padToken, sampling: sampling, stopToken: inputs.stopToken)
    let reference = GPTPolicy(model: stages.sft.copy(), padToken: inputs.padToken)
    let trainer = try PPOTrainer(
      settings: settings, policy: policy, reference: reference,
      rewardModel: rewardModel ?? stages.rewardModel)
    let first = try resume(
      policy: policy, trainer: trainer, store: store, run: run, checkpoints: checkpoints)
    if first > 0 { resumed?(first - 1) }

    let batches = promptBatches(count: iterations, batchSize: settings.batchSize)
    let recorder = TrackingRecorder(
      store: store, run: run, decode: inputs.decode,
      promptIDs: { batches[$0].map { self.inputs.trainPromptIDs[$0] } })
    let every = configuration.ppo.checkpointEvery
    for (iteration, rows) in batches.enumerated() where iteration >= first {
      let result = try trainer.step(
        prompts: rows.map { inputs.trainPrompts[$0] }, iteration: iteration)
      try recorder.record(result)
      if let checkpoints, (iteration + 1) % every == 0 || iteration == iterations - 1 {
        try saveCheckpoint(
          policy: policy, trainer: trainer, iteration: iteration, store: store, run: run,
          checkpoints: checkpoints)
      }
      try progress?(result)
    }
    return model
  }

  /// Restores the newest usable checkpoint of `run` into `policy` and
  /// `trainer`, deletes what the store holds after it, and returns the
  /// first iteration still to run (0 without a checkpoint).
  func resume(
    policy: GPTPolicy, trainer: PPOTrainer, store: Store, run: RunID,
    checkpoints: RunCheckpoints?
  ) throws -> Int {
    guard let last = try store.lastIteration(of: run) else {
      checkpoints?.prune(after: nil)
      try store.discardProgress(of: run, after: nil)
      return 0
    }
    guard let checkpoints, let optimizer = policy.optimizer,
      let found = checkpoints.newest(atOrBelow: last)
    else {
      try store.discardProgress(of: run, after: nil)
      return 0
    }
    let record = try PolicyCheckpoint.load(
      into: policy.model, optimizer: optimizer, from: found.url)
    guard record.runIdentity == configuration.identity, record.seed == seed,
      record.iteration == found.iteration
    else {
      throw RLHFError.unusableCheckpoint(
        path: found.url.path,
        reason: "it belongs to run \(record.runIdentity.prefix(8)), seed \(record.seed),"
          + " iteration \(record.iteration), not this run's iteration \(found.iteration)")
    }
    try trainer.restore(klCoefficient: record.klCoefficient)
    try store.discardProgress(of: run, after: record.iteration)
    checkpoints.prune(after: record.iteration)
    return record.iteration + 1
  }

  func saveCheckpoint(
    policy: GPTPolicy, trainer: PPOTrainer, iteration: Int, store: Store, run: RunID,
    checkpoints: RunCheckpoints
  ) throws {
    guard let optimizer = policy.optimizer else { return }
    try checkpoints.prepare()
    let file = checkpoints.url(iteration: iteration)
    try PolicyCheckpoint(
      iteration: iteration, klCoefficient: trainer.klController.coefficient,
      optimizerSteps: optimizer.stepCount, seed: seed, runIdentity: configuration.identity
    ).save(model: policy.model, optimizer: optimizer, to: file)
    let artifact = try store.recordArtifact(kind: "checkpoint", fileAt: file)
    try store.link(artifact, to: run, role: "policy")
    checkpoints.prune(after: iteration)
  }

  /// The prompt rows of each iteration: passes over the training prompts in
  /// seeded orders, B at a time, dropping each pass's partial batch (TRL's
  /// data loader drops the last incomplete batch).
  func promptBatches(count: Int, batchSize: Int) -> [[Int]] {
    let perPass = inputs.trainPrompts.count / batchSize
    guard perPass > 0 else { return [] }
    let root = RandomGenerator(seed: seed).derived("prompt-order")
    var batches: [[Int]] = []
    var pass = 0
    while batches.count < count {
      var shuffle = root.derived(pass)
      let order = Array(inputs.trainPrompts.indices).shuffled(using: &shuffle)
      for start in stride(from: 0, to: perPass * batchSize, by: batchSize)
      where batches.count < count {
        batches.append(Array(order[start..<(start + batchSize)]))
      }
      pass += 1
    }
    return batches
  }

  // MARK: - Evaluation

  /// Evaluates `model` on the evaluation prompts and stores its episodes
  /// and metrics under `run` on the set `evalSet`.
  public func evaluate(
    _ model: GPT, stages: Stages, store: Store, run: RunID, evalSet: String
  ) throws -> Evaluator.Report {
    let sampler = GPTPolicy(
      model: model, padToken: inputs.padToken, sampling: sampling, stopToken: inputs.stopToken)
    let evaluator = Evaluator(
      batchSize: configuration.eval.batchSize, maxNewTokens: configuration.data.newTokens,
      seed: UInt64(bitPattern: Int64(configuration.eval.seed)), tail: tail)
    let report = try evaluator.evaluate(
      prompts: inputs.evalPrompts, model: sampler, rewardModel: stages.rewardModel,
      perplexityTexts: inputs.perplexityTexts.isEmpty ? nil : inputs.perplexityTexts,
      textScorer: inputs.perplexityTexts.isEmpty ? nil : sampler, judge: stages.judge)
    let episodes = inputs.evalPromptIDs.indices.map { index in
      EpisodeRecord(
        prompt: inputs.evalPromptIDs[index],
        completion: inputs.decode(report.completions[index]),
        promptScore: report.promptScores[index], reward: report.rewards[index],
        judgeReward: report.judgeRewards[index],
        responseLength: report.completions[index].count)
    }
    try store.record(evaluationEpisodes: episodes, of: run, on: evalSet)
    try store.record(evaluationMetrics: report.metrics, of: run, on: evalSet)
    return report
  }

  /// The tail of the evaluation set: the `eval.tail_quantile` of prompt
  /// scores when it is above 0, else the absolute `data.tail_threshold`.
  public var tail: EvaluationMetrics.TailThreshold {
    let quantile = configuration.eval.tailQuantile
    return quantile > 0 ? .quantile(quantile) : .score(configuration.data.tailThreshold)
  }

  /// The held-out quality of both classifiers on the labeled test texts
  /// (`inputs.classifierTestTexts`, which neither trained on):
  /// `reward_model_accuracy`, `reward_model_auc`, `judge_accuracy`,
  /// `judge_auc` and `classifier_test_texts`, the number of texts scored.
  ///
  /// A classifier's score of a text is the margin of the reward class's
  /// logit over the largest other logit; it predicts the reward class
  /// (label 1) when the margin is above 0, and the AUC ranks texts by it.
  ///
  /// - Throws: `RLHFError.emptyInput` without held-out texts or with only
  ///   one class among them; model errors.
  public func classifierMetrics(stages: Stages) throws -> [String: Double] {
    let texts = inputs.classifierTestTexts
    let labels = inputs.classifierTestLabels
    guard !texts.isEmpty else {
      throw RLHFError.emptyInput(name: "held-out classifier test texts")
    }
    var metrics = ["classifier_test_texts": Double(texts.count)]
    for (name, model) in [("reward_model", stages.rewardModel), ("judge", stages.judge)] {
      let logits = try model.classifier.scores(
        texts, padToken: inputs.padToken, batchSize: configuration.eval.batchSize)
      let margins = logits.map { row in
        let others = row.indices.filter { $0 != model.classIndex }.map { Double(row[$0]) }
        return Double(row[model.classIndex]) - (others.max() ?? -.infinity)
      }
      metrics["\(name)_accuracy"] = try EvaluationMetrics.accuracy(
        scores: margins, labels: labels)
      metrics["\(name)_auc"] = try EvaluationMetrics.rocAUC(scores: margins, labels: labels)
    }
    return metrics
  }

  // MARK: - Helpers

  var seed: UInt64 { UInt64(bitPattern: Int64(configuration.seed)) }

  /// The paper's sampling: top-k 0 and top-p 1 unless configured otherwise.
  var sampling: SamplingOptions {
    SamplingOptions(topK: configuration.ppo.topK, topP: Float(configuration.ppo.topP))
  }

  var modelConfiguration: GPTConfiguration {
    let model = configuration.model
    return GPTConfiguration(
      vocabularySize: model.vocabSize, contextLength: model.context, dModel: model.dModel,
      layerCount: model.layers, headCount: model.heads)
  }

  func classifier(
    named name: String, key: String, texts: [[Int]], labels: [Int], base: GPT,
    root: RandomGenerator, cache: StageCache?, progress: ((String) -> Void)?
  ) throws -> ClassifierRewardModel {
    func train() throws -> SequenceClassifier {
      var initial = root.derived("\(name)-init")
      let classCount = max(2, (labels.max() ?? 0) + 1, inputs.rewardClass + 1)
      let network = try SequenceClassifier(
        configuration: modelConfiguration, classCount: classCount, generator: &initial)
      for (target, source) in zip(network.trunk.parameters, base.trunk.parameters) {
        target.assign(source.value)
      }
      _ = try ClassifierTrainer(
        settings: configuration.reward, sequenceLength: configuration.model.context,
        padToken: inputs.padToken, seed: root.derived(name).key
      ).train(network, on: texts, labels: labels) { progress?("\(name) \($0)") }
      return network
    }
    let network =
      try cache?.classifier(
        stage: name, key: key, configuration: modelConfiguration, train: train) ?? train()
    return try ClassifierRewardModel(
      classifier: network, classIndex: inputs.rewardClass, sign: inputs.rewardSign,
      padToken: inputs.padToken, batchSize: configuration.eval.batchSize)
  }
}
