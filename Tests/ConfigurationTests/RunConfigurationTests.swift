import Checksums
import Configuration
import Testing
import TextData
import YAML

@Suite struct RunConfigurationTests {
  static let combinations: [(TaskName, Preset, Algorithm)] = TaskName.allCases.flatMap { task in
    Preset.allCases.flatMap { preset in Algorithm.allCases.map { (task, preset, $0) } }
  }

  static func assignments(_ pairs: KeyValuePairs<String, String>) -> [ConfigurationAssignment] {
    pairs.map {
      ConfigurationAssignment(
        key: $0.key, value: .plain($0.value, at: YAMLMark(file: "t", line: 1, column: 1)))
    }
  }

  @Test(arguments: combinations)
  func everyPresetIsValidAndInsideTheKeyDomains(
    task: TaskName, preset: Preset, algorithm: Algorithm
  ) throws {
    let configuration = RunConfiguration.defaults(
      task: task, algorithm: algorithm, preset: preset, seed: 1)
    // Fewer training prompts than each task is expected to have.
    let prompts: [TaskName: Int] = [.imdb: 24_000, .jigsaw: 7_000, .realtoxicityprompts: 1_200]
    try configuration.validate(availablePrompts: prompts[task, default: 0])
    for key in configuration.keys {
      let value = key.value(in: configuration)
      let node = YAMLNode.plain(value.description, at: YAMLMark(file: "d", line: 1, column: 1))
      #expect(try key.value(from: node) == value, "\(key.name) default \(value)")
    }
  }

  @Test func paperPresetHasThePaperHyperParameters() {
    let imdb = RunConfiguration.defaults(task: .imdb, algorithm: .raRLHF, preset: .paper)
    #expect(imdb.ppo.batchSize == 128 && imdb.ppo.miniBatchSize == 128)
    #expect(imdb.ppo.ppoEpochs == 4 && imdb.ppo.learningRate == 1.41e-5)
    #expect(imdb.ppo.gamma == 1 && imdb.ppo.lam == 0.95)
    #expect(imdb.ppo.clipRange == 0.2 && imdb.ppo.clipRangeValue == 0.2)
    #expect(imdb.ppo.vfCoef == 0.1 && imdb.ppo.initKLCoef == 0.2)
    #expect(imdb.ppo.target == 6 && imdb.ppo.horizon == 10_000)
    #expect(imdb.data.promptTokens == 64 && imdb.data.newTokens == 48)
    #expect(imdb.risk.alpha == 0.4 && imdb.risk.warmStart == 30 && imdb.risk.rho == 0.95)
    #expect(imdb.data.tailThreshold == -2.5)
    let jigsaw = RunConfiguration.defaults(task: .jigsaw, algorithm: .raRLHF, preset: .paper)
    #expect(jigsaw.data.promptTokens == 8 && jigsaw.data.newTokens == 32)
    #expect(jigsaw.risk.alpha == 0.2 && jigsaw.data.tailThreshold == 5)
  }

  @Test func iterationsAreOnePassOverTheTrainingPromptsCutByTheCap() {
    var configuration = RunConfiguration.defaults(task: .imdb, preset: .paper)
    // 24,895 prompts / B = 128 gives the paper's M = 194.
    #expect(configuration.iterations(availablePrompts: 24_895) == 194)
    configuration.data.trainPrompts = 1000
    #expect(configuration.iterations(availablePrompts: 24_895) == 7)
    #expect(configuration.iterations(availablePrompts: 300) == 2)
    configuration.ppo.iterations = 5
    #expect(configuration.iterations(availablePrompts: 24_895) == 5)
    #expect(configuration.passIterations(availablePrompts: 24_895) == 7)
    // A cap never adds iterations (and `validate` refuses one above M).
    #expect(configuration.iterations(availablePrompts: 300) == 2)
    #expect(throws: ConfigurationError.self) {
      try configuration.validate(availablePrompts: 300)
    }
    #expect(throws: Never.self) { try configuration.validate(availablePrompts: 24_895) }
  }

  /// `eval.perplexity_chars` reaches the task's sets: the paper's 1,000
  /// (IMDB) and 500 (Jigsaw) by default, any other value as set.
  @Test func taskDataSettingsCarryThePerplexityCut() {
    for (task, characters) in [(TaskName.imdb, 1_000), (.jigsaw, 500)] {
      var configuration = RunConfiguration.defaults(task: task, preset: .small)
      #expect(configuration.taskDataSettings.perplexityCharacters == characters)
      #expect(TaskDataSettings.paperPerplexityCharacters(task) == characters)
      configuration.eval.perplexityCharacters = 250
      #expect(configuration.taskDataSettings.perplexityCharacters == 250)
      #expect(configuration.taskDataSettings.promptTokens == configuration.data.promptTokens)
    }
  }

  @Test func scheduleEndAndFinalKeptCountFollowThePaper() {
    let risk = RunConfiguration.defaults(task: .imdb, preset: .paper).risk
    #expect(risk.scheduleEnd(iterations: 194) == 185)
    #expect(risk.scheduleEnd(iterations: 20) == 19)
    #expect(risk.finalKeptCount(batchSize: 128) == 52)
    // 0.3 × 10 is 3.0000000000000004 in binary floating point.
    var near = risk
    (near.rho, near.alpha) = (0.3, 0.3)
    #expect(near.scheduleEnd(iterations: 10) == 3)
    #expect(near.finalKeptCount(batchSize: 10) == 3)
    #expect(near.scheduleEnd(iterations: 11) == 4)
  }

  @Test func canonicalJSONIsSortedCompactAndTyped() throws {
    let configuration = RunConfiguration.defaults(
      task: .imdb, algorithm: .raRLHF, preset: .paper, seed: 3)
    let json = configuration.canonicalJSON
    #expect(json.hasPrefix("{\"algorithm\":\"ra-rlhf\",\"base.batch_size\":32,"))
    #expect(json.contains(",\"ppo.learning_rate\":1.41e-05,"))
    #expect(json.contains(",\"ppo.iterations\":null,"))
    #expect(json.contains(",\"ppo.target\":6.0,"))
    #expect(json.contains(",\"data.tail_threshold\":-2.5,"))
    #expect(json.contains(",\"risk.alpha\":0.4,"))
    #expect(json.hasSuffix(",\"task\":\"imdb\"}"))
    #expect(!json.contains(" "))
    let names = configuration.keys.map(\.name)
    #expect(json.split(separator: ",").count == names.count)
    let order = names.compactMap { json.range(of: "\"\($0)\":")?.lowerBound }
    #expect(order.count == names.count)
    #expect(zip(names, order).sorted { $0.1 < $1.1 }.map(\.0) == names.sorted())
    #expect(configuration.identity == SHA256.hex(of: json))
  }

  @Test func rlhfIdentityIgnoresRiskSettings() {
    var rlhf = RunConfiguration.defaults(task: .imdb, algorithm: .rlhf)
    let before = rlhf.identity
    rlhf.risk.alpha = 0.1
    #expect(rlhf.identity == before)
    #expect(!rlhf.canonicalJSON.contains("risk."))
    var ra = RunConfiguration.defaults(task: .imdb, algorithm: .raRLHF)
    let raBefore = ra.identity
    ra.risk.alpha = 0.1
    #expect(ra.identity != raBefore)
    #expect(ra.identity != before)
  }

  @Test(arguments: combinations)
  func canonicalJSONReadsBackToTheSameConfiguration(
    task: TaskName, preset: Preset, algorithm: Algorithm
  ) throws {
    var configuration = RunConfiguration.defaults(
      task: task, algorithm: algorithm, preset: preset, seed: 7)
    configuration.ppo.learningRate = 3.3e-7
    configuration.data.evalPrompts = nil
    let read = try RunConfiguration(canonicalJSON: configuration.canonicalJSON)
    #expect(read == configuration)
    #expect(read.identity == configuration.identity)
  }

  @Test func namesCarryTheScheduleAndSeed() {
    let ra = RunConfiguration.defaults(task: .imdb, algorithm: .raRLHF, preset: .paper, seed: 1)
    #expect(ra.name == "imdb-ra-rlhf-a0.4-n30-r0.95-s1-" + ra.identity.prefix(8))
    let rlhf = RunConfiguration.defaults(task: .jigsaw, algorithm: .rlhf, seed: 2)
    #expect(rlhf.name == "jigsaw-rlhf-s2-" + rlhf.identity.prefix(8))
  }

  @Test func resolutionAppliesPresetThenSettingsInOrder() throws {
    let configuration = try RunConfiguration.resolve(
      Self.assignments([
        "risk.alpha": "0.3", "task": "jigsaw", "preset": "tiny", "algorithm": "ra-rlhf",
        "ppo.iterations": "auto", "data.eval_prompts": "all", "risk.alpha": "0.25",
        "seed": "0x10",
      ]))
    var expected = RunConfiguration.defaults(
      task: .jigsaw, algorithm: .raRLHF, preset: .tiny, seed: 16)
    expected.risk.alpha = 0.25
    expected.data.evalPrompts = nil
    #expect(configuration == expected)
  }

  @Test func overridesAreTypedAsPlainScalars() throws {
    let overrides = try [
      "task=imdb", "seed = 4", "ppo.adap_kl_ctrl=false", "model.tokenizer=gpt2",
      "model.vocab_size=50257",
    ].map { text throws(ConfigurationError) in
      try ConfigurationAssignment(override: text)
    }
    let configuration = try RunConfiguration.resolve(overrides)
    #expect(configuration.seed == 4)
    #expect(configuration.ppo.adaptiveKLControl == false)
    #expect(configuration.model.tokenizer == .gpt2)
  }

  /// (override, checkpoint every K, tail quantile) after resolution.
  static let resumeAndTailOverrides: [(String, Int, Double)] = [
    ("ppo.checkpoint_every=3", 3, 0.1), ("eval.tail_quantile=0.25", 2, 0.25),
    ("eval.tail_quantile=0", 2, 0),
  ]

  @Test(arguments: resumeAndTailOverrides)
  func checkpointIntervalAndTailQuantileResolve(
    override: String, every: Int, quantile: Double
  ) throws {
    let configuration = try RunConfiguration.resolve(
      try ["task=imdb", "preset=tiny", override].map {
        text throws(ConfigurationError) in try ConfigurationAssignment(override: text)
      })
    #expect(configuration.ppo.checkpointEvery == every)
    #expect(configuration.eval.tailQuantile == quantile)
  }

  @Test(arguments: ["ppo.checkpoint_every=0", "eval.tail_quantile=1.5", "eval.tail_quantile=-0.1"])
  func outOfRangeCheckpointIntervalOrQuantileIsRefused(override: String) throws {
    let assignments = try ["task=imdb", override].map {
      text throws(ConfigurationError) in try ConfigurationAssignment(override: text)
    }
    #expect(throws: ConfigurationError.self) { try RunConfiguration.resolve(assignments) }
  }

  @Test func smallPresetsUseATailQuantileAndThePaperKeepsTheThreshold() {
    for preset in [Preset.tiny, .small] {
      #expect(RunConfiguration.defaults(task: .imdb, preset: preset).eval.tailQuantile > 0)
    }
    #expect(RunConfiguration.defaults(task: .imdb, preset: .paper).eval.tailQuantile == 0)
    #expect(RunConfiguration.defaults(task: .imdb, preset: .paper).data.tailThreshold == -2.5)
  }

  @Test func referenceListsEveryKeyWithItsDefaults() {
    let text = ConfigurationKey.reference(task: .imdb)
    for key in ConfigurationKey.all {
      #expect(text.contains("\n\(key.name)") || text.hasPrefix(key.name), "\(key.name)")
    }
    #expect(
      text.contains(
        "risk.warm_start (n) [ra-rlhf only]: iterations on the whole batch before the kept count "
          + "falls (paper: 30)\n    int, integers ≥ 0; default tiny 1, small 5, paper 30, gpt2 30"))
    #expect(text.contains("ppo.iterations: stop after this many iterations, at most M"))
    #expect(
      text.hasPrefix(
        "task: benchmark: prompts, reward model, evaluation sets\n"
          + "    choice, imdb, jigsaw, realtoxicityprompts; default none (required)\n"))
    #expect(text.contains("\n    choice, rlhf, ra-rlhf; default rlhf\n"))
    #expect(text.contains("\n    choice, tiny, small, paper, gpt2; default small\n"))
    #expect(text.contains("    int|auto, integers ≥ 1, or auto; default auto"))
  }

  @Test func registryNamesAreUniqueAndDocumented() {
    let names = ConfigurationKey.all.map(\.name)
    #expect(Set(names).count == names.count)
    #expect(ConfigurationKey.all.allSatisfy { !$0.summary.isEmpty })
    #expect(
      ConfigurationKey.all.filter { $0.algorithm == .raRLHF }.map(\.name)
        == ["risk.alpha", "risk.warm_start", "risk.rho", "risk.ranking", "risk.kl_input"])
  }
}
