import Foundation
import Tracking

@testable import Reports

/// The report fixture recorded into a fresh tracking database through the
/// Tracking module's writing API, plus one run in another sweep that a
/// report on the fixture's sweep must not see.
enum FixtureStore {
  /// The other sweep, holding one finished run.
  static let otherSweep = "other"

  /// A new store in a temporary folder holding the fixture.
  static func make() throws -> Store {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-reports-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = try Store(at: directory.appendingPathComponent("tracking.sqlite"))
    let sweep = try store.recordSweep(named: ReportFixture.sweep, specText: "runs: fixture")
    let other = try store.recordSweep(named: otherSweep, specText: "runs: other")

    var prompts: [String: [PromptID]] = [:]
    for task in ["imdb", "jigsaw"] {
      prompts[task] = try store.upsert(
        prompts: (1...20).map { k in
          PromptRecord(
            task: task, promptID: "\(task)-\(k)", promptClass: k <= 10 ? "negative" : "positive",
            text: "prompt \(k) of \(task)", score: Double(k - 10))
        })
    }

    for run in ReportFixture.runs {
      let id = try store.register(spec(for: run), in: sweep)
      precondition(id.rawValue == run.id, "fixture ids must match the store's")
      try store.setStatus(.running, of: id)
      try record(run, as: id, prompts: prompts[run.task] ?? [], in: store)
      try store.setStatus(run.isDone ? .done : .failed, of: id, error: "fixture")
    }

    var stray = ReportFixture.runs[2]
    stray.id = Int64(ReportFixture.runs.count + 1)
    stray.seed = 99
    let strayID = try store.register(spec(for: stray), in: other)
    try store.setStatus(.running, of: strayID)
    try store.record(evaluationMetrics: ["reward": 100], of: strayID, on: "test")
    try store.setStatus(.done, of: strayID)
    return store
  }

  private static func spec(for run: RunSummary) -> RunSpec {
    let identity = String(repeating: "0", count: 48) + String(format: "%016x", run.id)
    return RunSpec(
      identity: identity, name: run.name, task: run.task,
      algorithm: RunSpec.Algorithm(rawValue: run.algorithm.rawValue) ?? .rlhf,
      preset: run.settings["preset"] ?? "tiny", alpha: run.alpha, warmStart: run.warmStart,
      rho: run.rho,
      seed: run.seed, configJSON: configJSON(of: run),
      iterationsPlanned: run.iterationsPlanned)
  }

  /// A `config_json` like the ones runs record: for base and SFT a stage
  /// description, for RLHF and RA-RLHF the resolved settings (the risk
  /// keys only for RA-RLHF), with `run.settings` added.
  static func configJSON(of run: RunSummary) -> String {
    var members: [String: String] = [:]
    switch run.algorithm {
    case .base, .sft:
      members["stage"] = "\"\(run.algorithm.rawValue)\""
      members["stage_key"] = "\"\(run.task)-\(run.algorithm.rawValue)\""
    case .rlhf, .raRLHF:
      members["algorithm"] = "\"\(run.algorithm.rawValue)\""
      members["preset"] = "\"tiny\""
      members["seed"] = String(run.seed)
      members["task"] = "\"\(run.task)\""
      members["ppo.learning_rate"] = "0.0001"
      if run.algorithm == .raRLHF {
        members["risk.alpha"] = run.alpha.map { "\($0)" } ?? "null"
        members["risk.warm_start"] = run.warmStart.map(String.init) ?? "null"
        members["risk.rho"] = run.rho.map { "\($0)" } ?? "null"
      }
    }
    for (key, value) in run.settings {
      members[key] = Double(value) == nil ? "\"\(value)\"" : value
    }
    let text = members.sorted { $0.key < $1.key }.map { "\"\($0)\":\($1)" }
    return "{" + text.joined(separator: ",") + "}"
  }

  private static func record(
    _ run: RunSummary, as id: RunID, prompts: [PromptID], in store: Store
  ) throws {
    if let curves = ReportFixture.curves[run.id] {
      let iterations = curves["kept_count"]?.count ?? 0
      for iteration in 0..<iterations {
        func value(_ name: String) -> Double? { curves[name]?[iteration].value }
        var statistics: [String: Double] = [:]
        for (name, points) in curves
        where !["kept_count", "return_mean", "return_mean_kept"].contains(name) {
          statistics[name] = points[iteration].value
        }
        let kept = Int(value("kept_count") ?? 8)
        let episodes = (0..<8).map { position in
          EpisodeRecord(
            prompt: prompts[position], completion: "train \(position)",
            reward: Double(position), responseLength: 4, inTail: position < kept)
        }
        try store.record(
          IterationRecord(
            iteration: iteration, keptCount: kept, returnMean: value("return_mean"),
            returnMeanKept: value("return_mean_kept"), statistics: statistics,
            episodes: episodes),
          of: id)
      }
    }
    if let episodes = ReportFixture.evaluationEpisodes[run.id] {
      let first = ReportFixture.promptIDs(run.task).lowerBound
      try store.record(
        evaluationEpisodes: episodes.map { episode in
          EpisodeRecord(
            prompt: prompts[Int(episode.promptRef - first)],
            completion: "eval \(episode.promptRef)", promptScore: episode.promptScore,
            reward: episode.reward, responseLength: 4)
        },
        of: id, on: "test")
    }
    try store.record(evaluationMetrics: run.metrics, of: id, on: "test")
  }
}
