import Checksums
import Foundation
import Testing

@testable import Tracking

/// Builders for the values the tests record, and a scratch folder per test.
enum Fixtures {
  /// A new empty folder under the system's temporary folder.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-tracking-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Removes `url` and everything in it.
  static func remove(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
  }

  /// A run spec whose identity is the hash of a configuration naming `label`.
  static func spec(
    _ label: String, algorithm: RunSpec.Algorithm = .raRLHF, alpha: Double? = 0.4
  ) -> RunSpec {
    let config = "{\"label\":\"\(label)\",\"seed\":7}"
    return RunSpec(
      identity: SHA256.hex(of: config), name: label, task: "imdb", algorithm: algorithm,
      preset: "tiny", alpha: alpha, warmStart: 30, rho: 0.95, seed: 7,
      configJSON: config, iterationsPlanned: 10)
  }

  /// `count` prompts of the IMDB task.
  static func prompts(_ count: Int) -> [PromptRecord] {
    (0..<count).map { index in
      PromptRecord(
        task: "imdb", promptID: "train/pos/\(index)_9.txt",
        promptClass: index % 2 == 0 ? "positive" : "negative",
        text: "This film, \"number \(index)\", was")
    }
  }

  /// `count` training episodes over `prompts`; episode `p` has reward
  /// `p / 10` and completion `"it=<iteration> pos=<p> ..."`.
  static func episodes(
    _ count: Int, iteration: Int, prompts: [PromptID]
  ) -> [EpisodeRecord] {
    (0..<count).map { position in
      EpisodeRecord(
        prompt: prompts[position % prompts.count],
        completion: "it=\(iteration) pos=\(position) great, \"really\"\nfun",
        promptScore: 0.5, reward: Double(position) / 10, judgeReward: nil, kl: 0.02,
        returnValue: Double(position) - 1, responseLength: 12 + position,
        inTail: position < count / 2)
    }
  }

  /// Iteration `iteration` with `count` episodes and four TRL statistics.
  static func iteration(
    _ iteration: Int, episodes count: Int, prompts: [PromptID]
  ) -> IterationRecord {
    IterationRecord(
      iteration: iteration, keptCount: count / 2, returnThreshold: Double(count / 2) - 1,
      returnMean: 1.5, returnMeanKept: 0.5,
      statistics: [
        "env/reward_mean": Double(iteration) / 2, "objective/kl": 0.02,
        "ppo/loss/policy": -0.125, "time/ppo/total": 3.25,
      ],
      episodes: episodes(count, iteration: iteration, prompts: prompts))
  }

  /// A store in `directory` with one registered, running run and eight prompts.
  static func storeWithRun(
    in directory: URL, options: Store.Options = Store.Options()
  ) throws -> (Store, RunID, [PromptID]) {
    let store = try Store(at: directory.appendingPathComponent("store.sqlite"), options: options)
    let prompts = try store.upsert(prompts: Self.prompts(8))
    let run = try store.register(spec("run-a"))
    try store.setStatus(.running, of: run)
    return (store, run, prompts)
  }

  /// The single integer a query returns.
  static func count(_ store: Store, _ sql: String, _ bindings: [SQLValue] = []) throws -> Int {
    let row = try #require(try store.rows(sql, bindings).first)
    return try #require(row.values.first.flatMap(Int.init(sqlValue:)))
  }
}
