import Foundation
import Testing
import Tracking

@Suite struct ReportCommandTests {
  /// A store with sweep `demo_sweep`: an RLHF and an RA-RLHF run, done, each
  /// with evaluation metrics, 20 evaluation episodes and two iterations; and
  /// sweep `empty` whose only run is still pending.
  static func makeStore() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-report-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try Store(at: folder.appendingPathComponent("t.sqlite"))
    let sweep = try store.recordSweep(named: "demo_sweep", specText: "name: demo_sweep\n")
    let prompts = try store.upsert(
      prompts: (0..<20).map {
        PromptRecord(
          task: "imdb", promptID: "p\($0)", promptClass: $0 % 2 == 0 ? "pos" : "neg",
          text: "prompt \($0)", score: Double($0) / 4 - 2.5)
      })
    for (index, algorithm) in [RunSpec.Algorithm.rlhf, .raRLHF].enumerated() {
      let risky = algorithm == .raRLHF
      let run = try store.register(
        RunSpec(
          identity: String(repeating: risky ? "cd" : "ab", count: 32),
          name: "imdb-\(algorithm.rawValue)-s1", task: "imdb", algorithm: algorithm,
          preset: "tiny", alpha: risky ? 0.4 : nil, warmStart: risky ? 1 : nil,
          rho: risky ? 0.95 : nil, seed: 1, configJSON: "{}", iterationsPlanned: 2),
        in: sweep)
      try store.setStatus(.running, of: run)
      for iteration in 0..<2 {
        try store.record(
          IterationRecord(
            iteration: iteration, keptCount: risky ? 2 : 4, returnMean: 0.1,
            statistics: [
              "env/reward_mean": Double(iteration + index), "objective/kl": 0.5,
              "objective/kl_coef": 0.2, "env/reward_std": 1, "tokens/responses_len_mean": 8,
            ],
            episodes: (0..<4).map {
              EpisodeRecord(
                prompt: prompts[$0], completion: "c", reward: Double($0), kl: 0.1,
                returnValue: Double($0), responseLength: 8, inTail: !risky || $0 < 2)
            }),
          of: run)
      }
      try store.record(
        evaluationEpisodes: (0..<20).map {
          EpisodeRecord(
            prompt: prompts[$0], completion: "e", promptScore: Double($0) / 4 - 2.5,
            reward: Double($0) / 10 + Double(index), responseLength: 8)
        },
        of: run, on: "test")
      try store.record(
        evaluationMetrics: ["reward": 1 + Double(index), "perplexity": 40 + Double(index)],
        of: run, on: "test")
      try store.setStatus(.done, of: run)
    }
    let empty = try store.recordSweep(named: "empty", specText: "name: empty\n")
    try store.register(
      RunSpec(
        identity: String(repeating: "ef", count: 32), name: "imdb-rlhf-s2", task: "imdb",
        algorithm: .rlhf, preset: "tiny", seed: 2, configJSON: "{}"),
      in: empty)
    return folder
  }

  @Test func writesTablesAndPlotsAndPrintsTheirPaths() throws {
    let folder = try Self.makeStore()
    let outcome = try Rarlhf.run([
      "report", "demo_sweep", "--db", folder.path + "/t.sqlite", "--out", folder.path,
      "--tables", "md,csv", "--plots", "png",
    ])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    let paths = outcome.stdout.split(separator: "\n").map(String.init)
    #expect(paths.contains { $0.hasSuffix(".md") })
    #expect(paths.contains { $0.hasSuffix(".png") })
    #expect(!paths.contains { $0.hasSuffix(".tex") || $0.hasSuffix(".pdf") })
    for path in paths {
      #expect(
        path.hasPrefix(folder.path + "/results/demo_sweep/")
          || path.hasPrefix(folder.path + "/plots/demo_sweep/"))
      let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
      #expect((size ?? 0) > 0, "\(path) is empty")
    }
    let markdown = try paths.filter { $0.hasSuffix(".md") }
      .map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
    #expect(markdown.contains("RA-RLHF"))
    #expect(markdown.contains("2.00"))
  }

  @Test func aSweepWithoutFinishedRunsIsReportedAsSuch() throws {
    let folder = try Self.makeStore()
    let outcome = try Rarlhf.run([
      "report", "empty", "--db", folder.path + "/t.sqlite", "--out", folder.path,
    ])
    #expect(outcome.status == 1)
    #expect(
      outcome.stderr
        == "error: no finished runs in sweep(s) empty "
        + "(a report needs at least one run with status 'done')\n")
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/results/empty"))
  }

  @Test func anUnknownFormatIsBadUsage() throws {
    let folder = try Self.makeStore()
    let outcome = try Rarlhf.run([
      "report", "demo_sweep", "--db", folder.path + "/t.sqlite", "--plots", "jpg",
    ])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.hasPrefix("error: "))
    #expect(outcome.stderr.contains("jpg"))
  }
}
