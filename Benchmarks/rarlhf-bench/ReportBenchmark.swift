import Foundation
import Reports
import Tensors
import Tracking

/// Time to write every table (Markdown, LaTeX, CSV) and every figure (PDF,
/// SVG, PNG) of a report over a synthetic store of 100 runs × 36,864
/// episodes (280 iterations of 128 training episodes and 1,024 evaluation
/// episodes per run), built once through Tracking's API and cached.
enum ReportBenchmark {
  static let sweep = "bench-report"
  static let iterations = 280
  static let batch = 128
  static let evaluationEpisodes = 1024

  static func run(_ options: BenchOptions) throws {
    let runs = try options.integer("runs", 100)
    let cache = URL(
      fileURLWithPath: options.text("cache", ".build/bench/report-\(runs)-runs-v2.sqlite") ?? "")
    if !FileManager.default.fileExists(atPath: cache.path) {
      Measurement.progress("building \(cache.path) (\(runs) runs; once)")
      let seconds = try Measurement.seconds { try build(runs: runs, at: cache) }
      Measurement.progress("built in \(Int(seconds)) s")
    }

    let store = try Store(at: cache)
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-bench-report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let report = Report(
      tablesDirectory: output.appendingPathComponent("results"),
      plotsDirectory: output.appendingPathComponent("plots"))
    var data: ReportData?
    let read = try Measurement.seconds {
      data = try ReportData(store: store, sweeps: [sweep])
    }
    guard let data else { return }
    var written: [URL] = []
    let write = try Measurement.seconds { written = try report.write(data) }
    let episodes = runs * (iterations * batch + evaluationEpisodes)
    try Measurement.emit([
      "benchmark": "report", "side": "rarlhf", "runs": runs, "episodes": episodes,
      "read_s": read, "write_s": write, "seconds": read + write, "files": written.count,
    ])
  }

  /// Records the synthetic sweep into a new store at `url`, through a
  /// temporary file renamed at the end so an interrupted build is redone.
  static func build(runs: Int, at url: URL) throws {
    let partial = url.deletingPathExtension().appendingPathExtension("partial")
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: partial.path + suffix)
    }
    try record(runs: runs, into: partial)
    // The store is closed (and its write-ahead log checkpointed) once
    // `record` returns, so the one file holds everything.
    try FileManager.default.moveItem(at: partial, to: url)
  }

  /// A run's configuration as the engine stores it, in brief: the seeds of
  /// one task, algorithm and α differ only in `seed`, so the report pools
  /// them (10 groups of 10 seeds), as it would a real sweep's.
  private static func configJSON(task: String, alpha: Double?, seed: Int) -> String {
    let risk = alpha.map { "\"risk.alpha\":\($0),\"risk.rho\":0.95,\"risk.warm_start\":30," } ?? ""
    let algorithm = alpha == nil ? "rlhf" : "ra-rlhf"
    return "{\"algorithm\":\"\(algorithm)\",\"preset\":\"tiny\",\(risk)"
      + "\"seed\":\(seed),\"task\":\"\(task)\"}"
  }

  /// Records the synthetic sweep into a new store at `url`.
  private static func record(runs: Int, into url: URL) throws {
    let store = try Store(at: url)
    let sweepID = try store.recordSweep(named: sweep, specText: "synthetic benchmark sweep")
    let tasks = ["imdb", "jigsaw"]
    var prompts: [String: [PromptID]] = [:]
    for task in tasks {
      prompts[task] = try store.upsert(
        prompts: (0..<evaluationEpisodes).map { k in
          PromptRecord(
            task: task, promptID: "\(task)-\(k)",
            promptClass: k % 2 == 0 ? "negative" : "positive",
            text: "synthetic prompt \(k) of \(task), a review opening of some length",
            score: Double(k % 21 - 10) / 5)
        })
    }
    let completions = (0..<64).map { k in
      String(repeating: "a completion of about two hundred bytes, variant \(k). ", count: 4)
    }

    var random = RandomGenerator(seed: 7)
    for index in 0..<runs {
      let task = tasks[index % tasks.count]
      let kind = (index / tasks.count) % 5
      let alpha = kind == 0 ? nil : [0.2, 0.4, 0.6, 0.8][kind - 1]
      let seed = index / (tasks.count * 5)
      let identity = String(format: "%064x", index + 1)
      let run = try store.register(
        RunSpec(
          identity: identity, name: "\(task)-\(alpha.map { "ra-rlhf-a\($0)" } ?? "rlhf")-s\(seed)",
          task: task, algorithm: alpha == nil ? .rlhf : .raRLHF, preset: "tiny",
          alpha: alpha, warmStart: alpha == nil ? nil : 30, rho: alpha == nil ? nil : 0.95,
          seed: seed, configJSON: configJSON(task: task, alpha: alpha, seed: seed),
          iterationsPlanned: iterations),
        in: sweepID)
      try store.setStatus(.running, of: run)
      let ids = prompts[task] ?? []
      for iteration in 0..<iterations {
        let progress = Double(iteration) / Double(iterations)
        let kept = alpha.map { max(1, Int((Double(batch) * (1 - (1 - $0) * progress)))) } ?? batch
        let episodes = (0..<batch).map { position in
          EpisodeRecord(
            prompt: ids[(iteration * batch + position) % ids.count],
            completion: completions[position % completions.count],
            reward: Double(random.nextNormal()) + progress, kl: 0.01 * progress,
            returnValue: Double(random.nextNormal()), responseLength: 48,
            inTail: position < kept)
        }
        try store.record(
          IterationRecord(
            iteration: iteration, keptCount: kept, returnThreshold: -0.5,
            returnMean: progress, returnMeanKept: progress - 1,
            statistics: [
              "env/reward_mean": progress + Double(random.nextNormal()) * 0.1,
              "env/reward_std": 1, "objective/kl": 0.01 * progress,
              "objective/kl_coef": 0.2, "tokens/responses_len_mean": 48,
              "ppo/loss/policy": -0.01, "ppo/loss/value": 0.3, "time/ppo/total": 1.5,
            ],
            episodes: episodes),
          of: run)
      }
      try store.record(
        evaluationEpisodes: (0..<evaluationEpisodes).map { k in
          EpisodeRecord(
            prompt: ids[k], completion: completions[k % completions.count],
            promptScore: Double(k % 21 - 10) / 5, reward: Double(random.nextNormal()) + 1,
            responseLength: 48)
        },
        of: run, on: "test")
      try store.record(
        evaluationMetrics: [
          "reward": 1 + Double(random.nextNormal()) * 0.1, "tail_reward": -1,
          "perplexity": 30 + Double(random.nextNormal()), "distinct_1": 0.5,
          "distinct_2": 0.8,
        ],
        of: run, on: "test")
      try store.setStatus(.done, of: run)
      Measurement.progress("report store: run \(index + 1) of \(runs)")
    }
  }
}
