import Foundation
import RLHF
import Testing
import Tracking

extension SweepEngineTests {
  /// A tiny RA-RLHF run of M = 8 iterations with a policy checkpoint after
  /// every second one, whose process is killed (SIGKILL) once it has
  /// recorded iteration 2 (counting from 0), so after the checkpoint of
  /// iteration 1; `sweep resume` continues it from its newest checkpoint:
  /// the rows up to the checkpoint are the killed process's, those after
  /// it are recorded again by the resumed one, each iteration once.
  @Test func aKilledRunContinuesFromItsNewestCheckpoint() throws {
    let sweep = try Self.realSweep(
      algorithms: "[ra-rlhf]",
      extra: """
          data.train_prompts: {value: 128}
          ppo.checkpoint_every: {value: 2}
        """)
    let process = try sweep.start(
      ["sweep", "run", "s.yaml", "--jobs", "1", "--data", Self.dataDirectory],
      environment: [:])
    defer { if process.isRunning { process.terminate() } }
    var victim: Int32?
    let reached = SweepHarness.wait(upTo: 600) {
      guard (try? Self.recordedTimes(sweep))?[2] != nil else { return false }
      victim = sweep.runProcesses(containing: "--identity").first
      return victim != nil
    }
    #expect(reached)
    kill(try #require(victim), SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)

    let before = try Self.recordedTimes(sweep)
    let killedAt = try #require(before.values.max())
    let last = try #require(before.keys.max())
    let store = try Store(at: sweep.database, options: .readOnly)
    let run = try #require(try store.runs().first { $0.spec.algorithm == .raRLHF })
    #expect(try sweep.statuses()[run.spec.name] == "crashed")
    let checkpoints = RunCheckpoints(
      root: sweep.folder.appendingPathComponent("runs/cache"),
      identity: run.spec.identity)
    let checkpoint = try #require(checkpoints.newest(atOrBelow: last)?.iteration)
    #expect(checkpoint >= 1)
    #expect(checkpoint < 7)

    let resumed = try sweep.run(
      ["sweep", "resume", "demo", "--data", Self.dataDirectory], environment: [:])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stderr.contains("1 to resume (1 crashed)"), "\(resumed.stderr)")
    #expect(try sweep.statuses()[run.spec.name] == "done")
    let after = try Self.recordedTimes(sweep)
    #expect(after.keys.sorted() == Array(0..<8))
    for iteration in 0...checkpoint {
      #expect(after[iteration] == before[iteration], "iteration \(iteration) rewritten")
    }
    for iteration in (checkpoint + 1)..<8 {
      let time = after[iteration] ?? ""
      #expect(time > killedAt, "iteration \(iteration) at \(time), not after the kill")
    }
    let log = try String(
      contentsOf: sweep.folder.appendingPathComponent("runs/logs/\(run.spec.name).log"),
      encoding: .utf8)
    #expect(
      log.contains(
        "\(run.spec.name): continuing from the checkpoint after iteration \(checkpoint + 1)/8"))

    let episodes = try store.rows(
      """
      SELECT phase, count(DISTINCT iteration) AS iterations, count(*) AS n
      FROM episodes WHERE run_id = ? GROUP BY phase ORDER BY phase
      """, [run.id.sqlValue])
    // Evaluation episodes have no iteration: 16 prompts once; training
    // episodes: B = 16 in each of the 8 iterations.
    #expect(try episodes.map { try $0.get("phase", as: String.self) } == ["eval", "train"])
    #expect(try episodes.map { try $0.get("iterations", as: Int.self) } == [0, 8])
    #expect(try episodes.map { try $0.get("n", as: Int.self) } == [16, 8 * 16])
    #expect(checkpoints.iterations() == [5, 7])
    #expect(try store.integrityProblems().isEmpty)
  }

  /// When each of the RA-RLHF run's recorded iterations was recorded
  /// (`iterations.recorded_at`), by iteration.
  static func recordedTimes(_ sweep: SweepHarness) throws -> [Int: String] {
    let store = try Store(at: sweep.database, options: .readOnly)
    let rows = try store.rows(
      """
      SELECT i.iteration, i.recorded_at FROM iterations i
      JOIN runs r ON r.id = i.run_id WHERE r.algorithm = 'ra-rlhf'
      """)
    var times: [Int: String] = [:]
    for row in rows {
      times[try row.get("iteration")] = try row.get("recorded_at")
    }
    return times
  }
}
