import Foundation
import RLHF
import Testing
import Tracking

/// A sweep on the real RLHF engine and the real shared data: tiny
/// RealToxicityPrompts runs (the smallest corpus), shrunk further so the
/// stages train in seconds.
@Suite struct SweepEngineTests {
  /// `$RARLHF_DATA`, else `../shared/data` relative to the package root.
  static var dataDirectory: String {
    if let path = ProcessInfo.processInfo.environment["RARLHF_DATA"],
      !path.isEmpty
    {
      return path
    }
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("../shared/data").standardized.path
  }

  /// The sweep `demo` of seed 1 and `algorithms` (a YAML list) on tiny
  /// RealToxicityPrompts with 16 evaluation prompts, plus the axes in
  /// `extra` (lines of `key: {value: …}` indented by two spaces).
  static func realSweep(
    algorithms: String = "[rlhf, ra-rlhf]", extra: String = ""
  ) throws -> SweepHarness {
    let axes = """
        model.vocab_size: {value: 512}
        data.corpus_texts: {value: 200}
        data.eval_prompts: {value: 16}
        eval.perplexity_texts: {value: 8}
      """
    let sweep = try SweepHarness(seeds: [1], extra: axes + "\n" + extra)
    let text = try String(contentsOf: sweep.sweepFile, encoding: .utf8)
    try text.replacingOccurrences(of: "task: imdb", with: "task: realtoxicityprompts")
      .replacingOccurrences(
        of: "algorithm: {values: [rlhf, ra-rlhf]}",
        with: "algorithm: {values: \(algorithms)}"
      )
      .write(to: sweep.sweepFile, atomically: true, encoding: .utf8)
    return sweep
  }

  @Test func aTinySweepTrainsSharedStagesOnceAndRecordsEveryRun() throws {
    let sweep = try Self.realSweep()
    let arguments = [
      "sweep", "run", "s.yaml", "--jobs", "2", "--data", Self.dataDirectory,
    ]
    let outcome = try sweep.run(arguments, environment: [:])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.stdout == "sweep 'demo': 2 done, 0 failed, 0 stopped\n")
    #expect(outcome.stderr.contains("preparing shared stages: stages-realtoxicityprompts-tiny-"))

    let store = try Store(at: sweep.database, options: .readOnly)
    let runs = try store.runs()
    // The two policy runs, then the base and SFT evaluation runs that the
    // shared stages add to the sweep.
    #expect(runs.map(\.spec.algorithm) == [.rlhf, .raRLHF, .base, .sft])
    #expect(runs.map(\.status) == [.done, .done, .done, .done])
    #expect(runs.map(\.lastIteration) == [3, 3, nil, nil])
    #expect(runs.prefix(2).map(\.spec.iterationsPlanned) == [4, 4])
    let sweepID = try #require(try store.rows("SELECT id FROM sweeps").first)
    #expect(
      try store.runIDs(in: .init(rawValue: try sweepID.get("id"))).count == 4)
    let provenance = try store.rows(
      "SELECT run_id, data_checksums_json FROM provenance ORDER BY run_id")
    #expect(provenance.count == 2)
    #expect(
      try provenance.allSatisfy {
        try $0.get("data_checksums_json", as: String.self).contains("prompts.jsonl")
      })
    let evaluated = try store.rows(
      "SELECT DISTINCT run_id FROM episodes WHERE phase = 'eval'")
    #expect(evaluated.count == 4)
    // Every run uses the same four cached stage checkpoints and tokenizer;
    // each policy run has its policy checkpoints after iterations 2 and 4
    // (K = 2).
    let roles = try store.rows(
      """
      SELECT role, count(DISTINCT artifact_id) AS files, count(*) AS links
      FROM run_artifacts GROUP BY role ORDER BY role
      """)
    #expect(
      try roles.map { try $0.get("role", as: String.self) }
        == ["base", "judge", "policy", "reward-model", "sft", "tokenizer"])
    for row in roles {
      let policy = try row.get("role", as: String.self) == "policy"
      #expect(try row.get("files", as: Int.self) == (policy ? 4 : 1))
      #expect(try row.get("links", as: Int.self) == 4)
    }
    let cache = sweep.folder.appendingPathComponent("runs/cache")
    let stageFiles = try FileManager.default.contentsOfDirectory(atPath: cache.path)
      .filter { $0.hasSuffix(".safetensors") }
    #expect(stageFiles.count == 4)
    for run in runs.prefix(2) {
      let checkpoints = RunCheckpoints(root: cache, identity: run.spec.identity)
      #expect(checkpoints.iterations() == [1, 3], "\(run.spec.name)")
    }

    let status = try sweep.run(["sweep", "status"], environment: [:])
    #expect(status.stdout.contains("done    4/4"))
    let again = try sweep.run(arguments, environment: [:])
    #expect(again.status == 0)
    #expect(again.stderr.contains("2 runs: 2 done"))
    let resumed = try sweep.run(
      ["sweep", "resume", "demo", "--data", Self.dataDirectory], environment: [:])
    #expect(resumed.status == 0)
    #expect(resumed.stderr.contains("nothing to run"))
    #expect(!resumed.stderr.contains("linking"))

    // The same runs under another name: none runs again, but the new sweep
    // gets the base and SFT rows of its stages.
    let twin = try sweep.run(arguments + ["--name", "twin"], environment: [:])
    #expect(twin.status == 0, "\(twin.stderr)")
    #expect(twin.stderr.contains("nothing to run"))
    #expect(twin.stderr.contains("linking the base and SFT evaluations"))
    let twinID = try #require(
      try store.rows("SELECT id FROM sweeps WHERE name = 'twin'").first)
    let twinRuns = try store.runs(in: .init(rawValue: try twinID.get("id")))
    #expect(
      twinRuns.map(\.spec.algorithm).sorted { $0.rawValue < $1.rawValue }
        == [.base, .raRLHF, .rlhf, .sft])
    #expect(twinRuns.allSatisfy { $0.status == .done })
    #expect(try store.runs().count == 4)

    try Self.checkReport(of: sweep)
  }
}
