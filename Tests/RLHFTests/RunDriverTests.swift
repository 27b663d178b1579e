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

  /// A tiny RA-RLHF run on the real RealToxicityPrompts file: a 512-token
  /// BPE, 64 training prompts (M = 4), 16 evaluation prompts. Then the
  /// base and SFT rows, and a second call that finds the run done.
  @Test func tinyRealToxicityPromptsRunEndToEnd() throws {
    var configuration = RunConfiguration.defaults(
      task: .realtoxicityprompts, algorithm: .raRLHF, preset: .tiny, seed: 2)
    configuration.model.vocabSize = 512
    configuration.model.dModel = 32
    configuration.data.evalPrompts = 16
    configuration.data.corpusTexts = 300
    configuration.eval.perplexityTexts = 8
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-driver-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Store(at: folder.appendingPathComponent("runs.sqlite"))
    var lines: [String] = []
    let driver = RunDriver(
      data: try Self.dataDirectory(), store: store,
      cacheDirectory: folder.appendingPathComponent("cache"),
      progress: { lines.append($0) })

    let run = try driver.run(configuration)
    let record = try #require(try store.run(run))
    #expect(record.status == .done)
    #expect(record.lastIteration == 3)
    #expect(lines.filter { $0.hasPrefix("iteration") }.count == 4)
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
    let accuracy = try store.rows(
      "SELECT value FROM evaluations WHERE run_id = ? AND metric = 'reward_model_accuracy'",
      [stageRuns.sft.sqlValue])
    let value = try #require(try accuracy.first?.get("value", as: Double.self))
    #expect(value >= 0 && value <= 1)
    let before = lines.count
    #expect(try driver.run(configuration) == run)
    #expect(lines.count == before)  // done: nothing trained again
  }
}
