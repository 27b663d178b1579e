import Foundation
import Testing
import Tracking

@testable import RLHF

@Suite struct TrackingRecorderTests {
  /// Three RA-RLHF iterations of the toy policy go into a fresh store; the
  /// rows read back by SQL match the trainer's results.
  @Test func everyIterationIsStoredWithStatisticsAndEpisodes() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-tracking-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Store(at: folder.appendingPathComponent("runs.sqlite"))
    let run = try store.register(
      RunSpec(
        identity: String(repeating: "ab", count: 32), name: "toy", task: "imdb",
        algorithm: .raRLHF, preset: "tiny", alpha: 0.5, warmStart: 0, rho: 0.5, seed: 1,
        configJSON: "{}", iterationsPlanned: 3))
    let prompts = PPOTrainerTests.prompts(4)
    let ids = try store.upsert(
      prompts: prompts.indices.map {
        PromptRecord(task: "imdb", promptID: "p\($0)", text: "prompt \($0)")
      })
    let schedule = try SoftRiskSchedule(
      alpha: 0.5, batchSize: 4, iterations: 3, warmStart: 0, rho: 0.5)
    let trainer = try PPOTrainer(
      settings: PPOTrainerTests.settings(batch: 4, schedule: schedule),
      policy: ToyPolicy(positions: 4), reference: ToyPolicy(positions: 4),
      rewardModel: ToyRewardModel())
    let recorder = TrackingRecorder(
      store: store, run: run, decode: { $0.map(String.init).joined(separator: " ") },
      promptIDs: { _ in ids })
    var results: [IterationResult] = []
    for m in 0..<3 {
      let result = try trainer.step(prompts: prompts, iteration: m)
      try recorder.record(result)
      results.append(result)
    }

    let iterations = try store.rows(
      "SELECT iteration, kept_count, return_threshold FROM iterations WHERE run_id = ?"
        + " ORDER BY iteration", [run.sqlValue])
    // ⌈ρM⌉ = ⌈1.5⌉ = 2, K = 0.25: α′ = 4, ⌈4 · 0.75⌉ = 3, ⌈αB⌉ = 2.
    #expect(try iterations.map { try $0.get("kept_count", as: Int.self) } == [4, 3, 2])
    #expect(
      try iterations.map { try $0.get("return_threshold", as: Double.self) }
        == results.map(\.threshold))
    let kl = try store.rows(
      "SELECT value FROM iteration_stats WHERE run_id = ? AND iteration = 2"
        + " AND name = 'objective/kl'", [run.sqlValue])
    #expect(try kl.first?.get("value", as: Double.self) == results[2].statistics["objective/kl"])
    let episodes = try store.rows(
      "SELECT position, completion, reward, in_tail, response_length FROM episodes"
        + " WHERE run_id = ? AND iteration = 1 ORDER BY position", [run.sqlValue])
    #expect(episodes.count == 4)
    for (row, episode) in zip(episodes, results[1].episodes) {
      #expect(try row.get("reward", as: Double.self) == episode.score)
      #expect(try row.get("in_tail", as: Bool.self) == episode.inTail)
      #expect(try row.get("response_length", as: Int.self) == episode.response.count)
      #expect(
        try row.get("completion", as: String.self)
          == episode.response.map(String.init).joined(separator: " "))
    }
  }

  @Test func wrongPromptCountIsRefusedBeforeWriting() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-tracking-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Store(at: folder.appendingPathComponent("runs.sqlite"))
    let run = try store.register(
      RunSpec(
        identity: String(repeating: "cd", count: 32), name: "toy", task: "imdb",
        algorithm: .rlhf, preset: "tiny", seed: 1, configJSON: "{}"))
    let trainer = try PPOTrainer(
      settings: PPOTrainerTests.settings(batch: 4), policy: ToyPolicy(positions: 4),
      reference: ToyPolicy(positions: 4), rewardModel: ToyRewardModel())
    let recorder = TrackingRecorder(
      store: store, run: run, decode: { _ in "" }, promptIDs: { _ in [] })
    let result = try trainer.step(prompts: PPOTrainerTests.prompts(4), iteration: 0)
    #expect(throws: RLHFError.self) { try recorder.record(result) }
    #expect(try store.lastIteration(of: run) == nil)
  }
}
