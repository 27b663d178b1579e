import Configuration
import Foundation
import Testing
import TextData
import Tracking

@testable import RLHF

@Suite struct RunDriverTests {
  /// The shared data folder: `$RARLHF_DATA`, else `../shared/data` from the
  /// package root.
  static func dataDirectory() throws -> DataDirectory {
    let root = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try DataDirectory.resolve(workingDirectory: root)
  }

  /// The tiny RA-RLHF configuration on the real RealToxicityPrompts file:
  /// a 512-token BPE, 64 training prompts (M = 4), 16 evaluation prompts.
  static func tinyConfiguration(seed: Int) -> RunConfiguration {
    var configuration = RunConfiguration.defaults(
      task: .realtoxicityprompts, algorithm: .raRLHF, preset: .tiny, seed: seed)
    configuration.model.vocabSize = 512
    configuration.model.dModel = 32
    configuration.data.evalPrompts = 16
    configuration.data.corpusTexts = 300
    configuration.eval.perplexityTexts = 8
    return configuration
  }

  /// The progress lines a driver printed.
  final class LineLog {
    var lines: [String] = []
  }

  /// A new temporary folder (the caller removes it) holding a store and the
  /// stage cache of a driver over the shared data, logging into the log.
  static func temporaryDriver() throws -> (URL, Store, RunDriver, LineLog) {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-driver-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try Store(at: folder.appendingPathComponent("runs.sqlite"))
    let log = LineLog()
    let driver = RunDriver(
      data: try dataDirectory(), store: store,
      cacheDirectory: folder.appendingPathComponent("cache"),
      progress: { log.lines.append($0) })
    return (folder, store, driver, log)
  }

  /// The stored test-set metrics of `run` among `names`, by name.
  static func metrics(
    of run: RunID, in store: Store, _ names: [String]
  ) throws -> [String: Double] {
    let rows = try store.rows(
      "SELECT metric, value FROM evaluations WHERE run_id = ? AND eval_set = 'test'",
      [run.sqlValue])
    var found: [String: Double] = [:]
    for row in rows {
      let name = try row.get("metric", as: String.self)
      if names.contains(name) { found[name] = try row.get("value", as: Double.self) }
    }
    return found
  }

  /// The tiny RealToxicityPrompts run (M = 4, B = 16, a checkpoint every
  /// 2) with a bad score at iteration 2 — NaN, caught as a score, or a
  /// finite one so large that the loss comes out NaN: the run ends
  /// `failed`, its error names the iteration and the quantity, iterations
  /// 0 and 1 stay whole in the store; run again with the reward model as
  /// trained, it resumes from the checkpoint after iteration 1 and finishes.
  @Test(arguments: [
    (Double.nan, "iteration 2: scores[0] is nan"),
    (.greatestFiniteMagnitude, "iteration 2: ppo/loss/total is nan"),
  ])
  func nonFiniteQuantityFailsTheRunAndKeepsEarlierIterations(
    score: Double, message: String
  ) throws {
    let configuration = Self.tinyConfiguration(seed: 5)
    let (folder, store, driver, log) = try Self.temporaryDriver()
    defer { try? FileManager.default.removeItem(at: folder) }
    driver.trainingRewardModel = { ScoreAtCall($0, call: 2, score: score) }

    #expect(throws: RLHFError.self) { try driver.run(configuration) }
    let record = try #require(
      try store.runs().first { $0.spec.identity == configuration.identity })
    #expect(record.status == .failed)
    let error = try #require(record.error)
    #expect(error.contains(message), "\(error)")
    #expect(try store.lastIteration(of: record.id) == 1)
    let perIteration = try store.rows(
      """
      SELECT iteration, count(*) AS n FROM episodes
      WHERE run_id = ? AND phase = 'train' GROUP BY iteration ORDER BY iteration
      """, [record.id.sqlValue])
    #expect(try perIteration.map { try $0.get("iteration", as: Int.self) } == [0, 1])
    #expect(try perIteration.map { try $0.get("n", as: Int.self) } == [16, 16])
    let statistics = try store.rows(
      "SELECT iteration, value FROM iteration_stats WHERE run_id = ?", [record.id.sqlValue])
    #expect(!statistics.isEmpty)
    #expect(try statistics.allSatisfy { try $0.get("iteration", as: Int.self) < 2 })
    #expect(try statistics.allSatisfy { try $0.get("value", as: Double.self).isFinite })
    let evaluated = try store.rows(
      "SELECT count(*) AS n FROM evaluations WHERE run_id = ?", [record.id.sqlValue])
    #expect(try evaluated.first?.get("n", as: Int.self) == 0)

    driver.trainingRewardModel = nil
    log.lines.removeAll()
    #expect(try driver.run(configuration) == record.id)
    #expect(try store.run(record.id)?.status == .done)
    #expect(try store.lastIteration(of: record.id) == 3)
    #expect(
      log.lines.filter { $0.hasPrefix("iteration") }.map { $0.prefix(11) } == [
        "iteration 3", "iteration 4",
      ])
  }

  /// The gpt2 preset without GPT-2's weights in the data directory is
  /// refused before any data is read, naming the path it looked at.
  @Test func gpt2PresetWithoutPretrainedWeightsIsRefused() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-driver-gpt2-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Store(at: folder.appendingPathComponent("runs.sqlite"))
    let driver = RunDriver(
      data: DataDirectory(url: folder), store: store,
      cacheDirectory: folder.appendingPathComponent("cache"))
    let configuration = RunConfiguration.defaults(task: .imdb, preset: .gpt2, seed: 1)
    let expected = folder.appendingPathComponent(RunDriver.pretrainedGPT2Path).path
    #expect(throws: RLHFError.missingPretrainedWeights(path: expected)) {
      try driver.pipeline(for: configuration)
    }
    #expect(try store.rows("SELECT id FROM runs").isEmpty)
  }

  /// A tiny RA-RLHF run on the real RealToxicityPrompts file: a 512-token
  /// BPE, 64 training prompts (M = 4), 16 evaluation prompts. Then the
  /// base and SFT rows, and a second call that finds the run done.
  @Test func tinyRealToxicityPromptsRunEndToEnd() throws {
    let configuration = Self.tinyConfiguration(seed: 2)
    let (folder, store, driver, log) = try Self.temporaryDriver()
    defer { try? FileManager.default.removeItem(at: folder) }

    let run = try driver.run(configuration)
    let record = try #require(try store.run(run))
    #expect(record.status == .done)
    #expect(record.lastIteration == 3)
    #expect(log.lines.filter { $0.hasPrefix("iteration") }.count == 4)
    let metrics = try store.rows(
      "SELECT metric FROM evaluations WHERE run_id = ? AND eval_set = 'test'", [run.sqlValue])
    let names = Set(try metrics.map { try $0.get("metric", as: String.self) })
    #expect(
      names.isSuperset(of: [
        "reward", "perplexity", "judge_reward", "tail_count", "tail_reward", "tail_threshold",
      ]))
    let episodes = try store.rows(
      "SELECT count(*) AS n FROM episodes WHERE run_id = ? AND phase = 'eval'", [run.sqlValue])
    #expect(try episodes.first?.get("n", as: Int.self) == 16)

    // The run evaluated the base and SFT rows; asking again finds them,
    // and another seed shares them.
    let stageRuns = try driver.evaluateStageModels(configuration)
    #expect(try store.run(stageRuns.base)?.status == .done)
    #expect(try store.run(stageRuns.sft)?.spec.algorithm == .sft)
    var otherSeed = configuration
    otherSeed.seed = 3
    #expect(try driver.evaluateStageModels(otherSeed) == stageRuns)
    #expect(try store.runs().count == 3)
    // Both rows carry the classifiers' held-out metrics, over the 16 test
    // prompts (RealToxicityPrompts' held-out texts, half toxic).
    for row in [stageRuns.base, stageRuns.sft] {
      let classifier = try Self.metrics(
        of: row, in: store,
        ["reward_model_accuracy", "reward_model_auc", "judge_accuracy", "judge_auc"])
      #expect(classifier.count == 4)
      #expect(classifier.values.allSatisfy { $0 >= 0 && $0 <= 1 })
      #expect(try Self.metrics(of: row, in: store, ["classifier_test_texts"]).first?.value == 16)
    }
    #expect(names.contains("judge_tail_reward"))
    let before = log.lines.count
    #expect(try driver.run(configuration) == run)
    #expect(log.lines.count == before)  // done: nothing trained again
  }
}
