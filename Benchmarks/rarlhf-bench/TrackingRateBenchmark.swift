import Foundation
import Tracking

/// Single-writer episode rows per second: iterations of a PPO-sized batch
/// recorded into a fresh store, one transaction per iteration as training
/// does, with RealToxicityPrompts prompt texts and completions of about 48
/// GPT-2 tokens (three continuations joined).
enum TrackingRateBenchmark {
  static func run(_ options: BenchOptions) throws {
    let totalEpisodes = try options.integer("episodes", 200_000)
    let batch = try options.integer("batch", 256)
    let (promptTexts, completions) = try loadTexts()
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try Store(at: directory.appendingPathComponent("bench.sqlite"))
    let prompts = try store.upsert(
      prompts: promptTexts.enumerated().map { index, text in
        PromptRecord(task: "realtoxicityprompts", promptID: String(index), text: text)
      })
    let run = try store.register(
      RunSpec(
        identity: String(repeating: "ab", count: 32), name: "bench",
        task: "realtoxicityprompts", algorithm: .raRLHF, preset: "tiny", alpha: 0.4,
        warmStart: 30, rho: 0.95, seed: 1, configJSON: "{}"))
    try store.setStatus(.running, of: run)
    let iterations = (0..<(totalEpisodes / batch)).map { iteration in
      IterationRecord(
        iteration: iteration, keptCount: batch * 2 / 5, returnThreshold: -0.5,
        returnMean: 0.1, returnMeanKept: -1.2,
        statistics: [
          "env/reward_mean": 0.1, "env/reward_std": 0.9, "objective/kl": 0.02,
          "objective/entropy": 12.5, "ppo/loss/policy": -0.01, "ppo/loss/value": 0.3,
          "ppo/policy/clipfrac": 0.05, "time/ppo/total": 1.2,
        ],
        episodes: (0..<batch).map { position in
          let index = (iteration * batch + position) % prompts.count
          return EpisodeRecord(
            prompt: prompts[index], completion: completions[index], promptScore: -0.3,
            reward: Double(position) / Double(batch), kl: 0.015, returnValue: 0.4,
            responseLength: 48, inTail: position % 5 < 2)
        })
    }

    let seconds = try Measurement.seconds {
      for iteration in iterations { try store.record(iteration, of: run) }
    }
    let episodes = iterations.count * batch
    try Measurement.emit([
      "benchmark": "tracking", "side": "rarlhf", "episodes": episodes, "batch": batch,
      "seconds": seconds, "rows_per_s": Double(episodes) / seconds,
    ])
  }

  /// Prompt texts and completion-length texts from RealToxicityPrompts
  /// (`realtoxicityprompts/prompts.jsonl` of the data directory).
  static func loadTexts() throws -> (prompts: [String], completions: [String]) {
    let root =
      ProcessInfo.processInfo.environment["RARLHF_DATA"].map { URL(fileURLWithPath: $0) }
      ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
      .appendingPathComponent("../shared/data")
    let file = root.appendingPathComponent("realtoxicityprompts/prompts.jsonl")
    let text: String
    do {
      text = try String(contentsOf: file, encoding: .utf8)
    } catch {
      throw BenchError.input(what: file.path, reason: "\(error)")
    }
    var prompts: [String] = []
    var continuations: [String] = []
    for line in text.split(separator: "\n") {
      guard
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let prompt = (object["prompt"] as? [String: Any])?["text"] as? String,
        let continuation = (object["continuation"] as? [String: Any])?["text"] as? String
      else { continue }
      prompts.append(prompt)
      continuations.append(continuation)
    }
    guard !prompts.isEmpty else {
      throw BenchError.input(what: file.path, reason: "no prompt records")
    }
    let completions = continuations.indices.map { index in
      (0..<3).map { continuations[(index + $0) % continuations.count] }.joined()
    }
    return (prompts, completions)
  }
}
