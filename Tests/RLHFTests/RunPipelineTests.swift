import Configuration
import Foundation
import Models
import Tensors
import Testing
import Tracking

@testable import RLHF

@Suite struct RunPipelineTests {
  /// A tiny RA-RLHF configuration and synthetic data: texts over 12
  /// tokens, "positive" texts (label 1) rich in token 5; prompts stored in
  /// `store`.
  static func tinySetup(store: Store) throws -> (RunConfiguration, RunInputs) {
    var configuration = RunConfiguration.defaults(
      task: .imdb, algorithm: .raRLHF, preset: .tiny, seed: 4)
    configuration.model = ModelSettings(
      tokenizer: .bpe, vocabSize: 12, dModel: 16, layers: 1, heads: 2, context: 32)
    configuration.data.promptTokens = 4
    configuration.data.newTokens = 4
    configuration.data.tailThreshold = 0
    configuration.ppo.batchSize = 8
    configuration.ppo.miniBatchSize = 8
    configuration.eval.batchSize = 5
    configuration.risk.warmStart = 1

    var random = RandomGenerator(seed: 1)
    func text(positive: Bool) -> [Int] {
      (0..<8).map { _ in
        positive && Bool.random(using: &random) ? 5 : Int.random(in: 1..<12, using: &random)
      }
    }
    let labelled = (0..<40).map { $0 % 2 == 1 }
    let trainTexts = (0..<32).map { _ in text(positive: false) }
    let evalTexts = (0..<7).map { _ in text(positive: false) }
    let ids = try store.upsert(
      prompts: (trainTexts + evalTexts).enumerated().map {
        PromptRecord(task: "imdb", promptID: "p\($0.offset)", text: "\($0.element)")
      })
    let inputs = RunInputs(
      corpus: (0..<24).map { _ in text(positive: false) },
      sftTexts: (0..<16).map { _ in text(positive: true) },
      rewardTexts: labelled.map { text(positive: $0) }, rewardLabels: labelled.map { $0 ? 1 : 0 },
      judgeTexts: labelled.map { text(positive: $0) }, judgeLabels: labelled.map { $0 ? 1 : 0 },
      rewardClass: 1, rewardSign: 1,
      trainPrompts: trainTexts.map { Array($0.prefix(4)) }, trainPromptIDs: Array(ids[0..<32]),
      evalPrompts: evalTexts.map { Array($0.prefix(4)) }, evalPromptIDs: Array(ids[32...]),
      perplexityTexts: (0..<3).map { _ in text(positive: true) }, padToken: 0,
      decode: { $0.map(String.init).joined(separator: ",") })
    return (configuration, inputs)
  }

  /// Registers the tiny setup's `configuration` as a run in `store`.
  static func register(
    _ configuration: RunConfiguration, in store: Store, planned: Int? = nil
  ) throws -> RunID {
    try store.register(
      RunSpec(
        identity: configuration.identity, name: configuration.name, task: "imdb",
        algorithm: .raRLHF, preset: "tiny", alpha: configuration.risk.alpha,
        warmStart: configuration.risk.warmStart, rho: configuration.risk.rho,
        seed: configuration.seed, configJSON: configuration.canonicalJSON,
        iterationsPlanned: planned))
  }

  /// A new temporary folder (the caller removes it) and a store in it.
  static func temporaryStore() throws -> (URL, Store) {
    let folder = try temporaryFolder()
    return (folder, try Store(at: folder.appendingPathComponent("runs.sqlite")))
  }

  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-pipeline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A tiny RA-RLHF run end to end; everything lands in a temporary store.
  @Test func tinyRiskAverseRunStoresIterationsAndEvaluation() throws {
    let (folder, store) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (configuration, inputs) = try Self.tinySetup(store: store)
    let pipeline = try RunPipeline(configuration: configuration, inputs: inputs)
    #expect(pipeline.iterations == 4)  // 32 prompts / B = 8
    let run = try Self.register(configuration, in: store, planned: 4)

    let stages = try pipeline.trainStages()
    let policy = try pipeline.trainPolicy(stages: stages, store: store, run: run)
    let report = try pipeline.evaluate(
      policy, stages: stages, store: store, run: run, evalSet: "test")

    let schedule = try SoftRiskSchedule(
      alpha: configuration.risk.alpha, batchSize: 8, iterations: 4, warmStart: 1,
      rho: configuration.risk.rho)
    let kept = try store.rows(
      "SELECT kept_count FROM iterations WHERE run_id = ? ORDER BY iteration", [run.sqlValue])
    #expect(try kept.map { try $0.get("kept_count", as: Int.self) } == schedule.keptCounts())
    let episodes = try store.rows(
      "SELECT count(*) AS n FROM episodes WHERE run_id = ? AND phase = 'train'", [run.sqlValue])
    #expect(try episodes.first?.get("n", as: Int.self) == 32)
    let metrics = try store.rows(
      "SELECT metric, value FROM evaluations WHERE run_id = ?", [run.sqlValue])
    let stored = try Dictionary(
      uniqueKeysWithValues: metrics.map {
        (try $0.get("metric", as: String.self), try $0.get("value", as: Double.self))
      })
    for name in [
      "reward", "tail_reward", "perplexity", "judge_reward", "judge_tail_reward", "distinct_1",
    ] {
      #expect(stored[name] == report.metrics[name], "\(name)")
      #expect(stored[name]?.isFinite == true, "\(name)")
    }
    #expect(report.completions.count == 7)  // 5 + a partial batch of 2
    #expect(report.completions.allSatisfy { $0.count == 4 })
  }

  /// A `ppo.iterations` cap of 3 stops training after iteration 2 while
  /// the schedule keeps M = 32 / 8 = 4: iteration 2 keeps ⌈8 · 0.8⌉ = 7
  /// (K = 0.6 / 3), where a schedule of M = 3 would keep ⌈8 · 0.7⌉ = 6.
  @Test func iterationCapStopsTheRunButKeepsTheSchedulesM() throws {
    let (folder, store) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (original, inputs) = try Self.tinySetup(store: store)
    var configuration = original
    configuration.ppo.iterations = 3
    let pipeline = try RunPipeline(configuration: configuration, inputs: inputs)
    #expect(pipeline.iterations == 3 && pipeline.passIterations == 4)
    let run = try Self.register(configuration, in: store, planned: 3)
    _ = try pipeline.trainPolicy(stages: try pipeline.trainStages(), store: store, run: run)

    let kept = try store.rows(
      "SELECT kept_count FROM iterations WHERE run_id = ? ORDER BY iteration", [run.sqlValue])
    #expect(try kept.map { try $0.get("kept_count", as: Int.self) } == [8, 8, 7])
  }

  /// Fewer training prompts than one batch, a cap above one pass and an
  /// α with ⌈αB⌉ = 0 are refused when the pipeline is made, naming the
  /// values and the rule.
  @Test(
    arguments: [
      (
        64, nil, 0.4,
        "keys 'data.train_prompts', 'ppo.batch_size': need at least B training "
          + "prompts for one iteration, got 32 prompts (the task has 32), B = 64"
      ),
      (
        8, 5, 0.4,
        "keys 'ppo.iterations', 'data.train_prompts', 'ppo.batch_size': need "
          + "ppo.iterations ≤ M = ⌊prompts / B⌋ (a cap on one pass), got ppo.iterations = 5, "
          + "M = ⌊32 / 8⌋ = 4 (the task has 32)"
      ),
      (
        8, nil, 1e-12,
        "keys 'risk.alpha', 'ppo.batch_size': need ⌈αB⌉ ≥ 1 (the tail keeps "
          + "at least one episode), got α = 1e-12, B = 8, ⌈αB⌉ = 0"
      ),
    ] as [(Int, Int?, Double, String)])
  func impossibleScheduleIsRefusedBeforeTraining(
    batch: Int, cap: Int?, alpha: Double, message: String
  ) throws {
    let (folder, store) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (original, inputs) = try Self.tinySetup(store: store)
    var configuration = original
    (configuration.ppo.batchSize, configuration.ppo.miniBatchSize) = (batch, batch)
    configuration.ppo.iterations = cap
    configuration.risk.alpha = alpha
    #expect {
      _ = try RunPipeline(configuration: configuration, inputs: inputs)
    } throws: { error in
      (error as? ConfigurationError).map { "\($0)" } == message
    }
  }

  /// The classifiers are measured on the held-out texts and their labels:
  /// flipping every label turns accuracy a into 1 − a and AUC u into 1 − u
  /// (each text's prediction turns right or wrong, each pair's order and
  /// tie counts for the other class), and the count is theirs.
  @Test func classifierMetricsAreOnTheHeldOutTexts() throws {
    let (folder, store) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    var (configuration, inputs) = try Self.tinySetup(store: store)
    configuration.eval.batchSize = 4
    inputs.classifierTestTexts = Array(inputs.rewardTexts.prefix(10))
    inputs.classifierTestLabels = Array(inputs.rewardLabels.prefix(10))
    let pipeline = try RunPipeline(configuration: configuration, inputs: inputs)
    let stages = try pipeline.trainStages()
    let metrics = try pipeline.classifierMetrics(stages: stages)
    inputs.classifierTestLabels = inputs.classifierTestLabels.map { 1 - $0 }
    let flipped = try RunPipeline(configuration: configuration, inputs: inputs)
      .classifierMetrics(stages: stages)

    #expect(metrics["classifier_test_texts"] == 10)
    for name in ["reward_model", "judge"] {
      let accuracy = try #require(metrics["\(name)_accuracy"])
      let auc = try #require(metrics["\(name)_auc"])
      #expect(accuracy >= 0 && accuracy <= 1 && auc >= 0 && auc <= 1, "\(name)")
      #expect(isClose(try #require(flipped["\(name)_accuracy"]), 1 - accuracy), "\(name)")
      #expect(isClose(try #require(flipped["\(name)_auc"]), 1 - auc, tolerance: 1e-9))
    }
    inputs.classifierTestTexts = []
    inputs.classifierTestLabels = []
    #expect(throws: RLHFError.emptyInput(name: "held-out classifier test texts")) {
      _ = try RunPipeline(configuration: configuration, inputs: inputs)
        .classifierMetrics(stages: stages)
    }
  }

  /// The second pass loads all four stages from the cache and gets the same
  /// weights; a change to the reward settings leaves the base and SFT keys.
  @Test func stageCacheTrainsEachStageOnce() throws {
    let (folder, store) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (original, inputs) = try Self.tinySetup(store: store)
    var configuration = original
    let cache = StageCache(directory: folder.appendingPathComponent("stages"))
    var pipeline = try RunPipeline(configuration: configuration, inputs: inputs)
    let tokenizerHash = String(repeating: "7", count: 64)
    pipeline.tokenizerArtifact = ArtifactRecord(
      kind: "tokenizer", contentHash: tokenizerHash,
      path: folder.appendingPathComponent("tokenizer").path, bytes: 12)
    var messages: [String] = []
    let first = try pipeline.trainStages(cache: cache) { messages.append($0) }
    let trainedCount = messages.count
    let second = try pipeline.trainStages(cache: cache) { messages.append($0) }
    // One epoch per stage in the tiny preset, each ending with its loss.
    #expect(messages.filter { $0.contains("epoch 1/1: loss") }.count == 4)
    #expect(trainedCount >= 4)
    #expect(messages.count == trainedCount)  // nothing retrained
    let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory.path)
    #expect(files.filter { $0.hasSuffix(".safetensors") }.count == 4)
    for (a, b) in zip(first.sft.parameters, second.sft.parameters) {
      #expect(a.value == b.value)
    }
    let prompts = [[1, 2, 3]]
    let responses = [[4, 5]]
    #expect(
      try first.judge.scores(prompts: prompts, responses: responses)
        == second.judge.scores(prompts: prompts, responses: responses))

    let run = try Self.register(configuration, in: store)
    try pipeline.recordStageArtifacts(cache: cache, store: store, run: run)
    let roles = try store.rows(
      "SELECT role FROM run_artifacts WHERE run_id = ? ORDER BY role", [run.sqlValue])
    #expect(
      try roles.map { try $0.get("role", as: String.self) }
        == ["base", "judge", "reward-model", "sft", "tokenizer"])
    let tokenizer = try #require(
      try store.rows(
        "SELECT kind, content_hash FROM artifacts JOIN run_artifacts ON artifact_id = id"
          + " WHERE run_id = ? AND role = 'tokenizer'", [run.sqlValue]
      ).first)
    #expect(try tokenizer.get("kind", as: String.self) == "tokenizer")
    #expect(try tokenizer.get("content_hash", as: String.self) == tokenizerHash)

    configuration.reward.epochs += 1
    let changed = try RunPipeline(configuration: configuration, inputs: inputs).stageKeys
    #expect(changed.base == pipeline.stageKeys.base)
    #expect(changed.sft == pipeline.stageKeys.sft)
    #expect(changed.reward != pipeline.stageKeys.reward)
    #expect(changed.judge != pipeline.stageKeys.judge)
  }

  /// Pretrained weights (the gpt2 preset's GPT-2 124M) become the base
  /// model unchanged when `base.epochs` is 0, and their hash enters the
  /// cache keys of the base stage and of the stages built on it.
  @Test func baseModelStartsFromInitialWeights() throws {
    let (folder, store) = try Self.temporaryStore()
    defer { try? FileManager.default.removeItem(at: folder) }
    var (configuration, inputs) = try Self.tinySetup(store: store)
    configuration.base.epochs = 0
    let scratch = try RunPipeline(configuration: configuration, inputs: inputs)
    var generator = RandomGenerator(seed: 99)
    let donor = try GPT(configuration: scratch.modelConfiguration, generator: &generator)
    let file = folder.appendingPathComponent("model.safetensors")
    try donor.save(to: file)
    var pretrained = scratch
    pretrained.initialWeights = (file, String(repeating: "a", count: 64))

    var messages: [String] = []
    let stages = try pretrained.trainStages { messages.append($0) }
    let untrained = try scratch.trainStages()

    #expect(messages.first == "base: weights from \(file.path)")
    for (loaded, source) in zip(stages.base.parameters, donor.parameters) {
      #expect(loaded.value == source.value)
    }
    #expect(untrained.base.parameters[0].value != donor.parameters[0].value)
    #expect(pretrained.stageKeys.base != scratch.stageKeys.base)
    #expect(pretrained.stageKeys.sft != scratch.stageKeys.sft)
    #expect(pretrained.stageKeys.reward != scratch.stageKeys.reward)
  }

  @Test func mismatchedInputsAreRefused() throws {
    let inputs = RunInputs(
      corpus: [], sftTexts: [], rewardTexts: [[1]], rewardLabels: [], judgeTexts: [],
      judgeLabels: [], rewardClass: 1, rewardSign: 1, trainPrompts: [[1]],
      trainPromptIDs: [PromptID(rawValue: 1)], evalPrompts: [[1]],
      evalPromptIDs: [PromptID(rawValue: 2)], perplexityTexts: [], padToken: 0,
      decode: { _ in "" })
    #expect(throws: RLHFError.shapeMismatch(name: "reward labels", expected: 1, got: 0)) {
      _ = try RunPipeline(
        configuration: RunConfiguration.defaults(task: .imdb, preset: .tiny), inputs: inputs)
    }
  }
}
