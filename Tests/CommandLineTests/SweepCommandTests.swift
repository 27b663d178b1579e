import Foundation
import Testing
import Tracking

/// `rarlhf sweep` and `rarlhf run` end to end: the real binary, real child
/// processes and SQLite files, with the stand-in engine
/// (`RARLHF_ENGINE=simulated`) in place of RLHF training.
@Suite struct SweepCommandTests {
  @Test func dryRunListsTheRunsAndWritesNothing() throws {
    let sweep = try SweepHarness()
    let outcome = try sweep.run(["sweep", "run", "s.yaml", "--dry-run"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("sweep 'demo' (s.yaml, grid): 6 runs\n"))
    #expect(outcome.stdout.contains("imdb-ra-rlhf-a0.4-n1-r0.95-s3-"))
    #expect(
      !FileManager.default.fileExists(
        atPath: sweep.folder.appendingPathComponent("runs").path))
  }

  @Test(arguments: [
    ("parameters:\n  risk.alpah: {values: [0.2]}", "did you mean 'risk.alpha'"),
    ("parameters:\n  risk.alpha: {values: [1.5]}", "1.5"),
  ])
  func invalidSweepsExit64AndWriteNothing(extra: String, message: String)
    throws
  {
    let sweep = try SweepHarness()
    let text = try String(contentsOf: sweep.sweepFile, encoding: .utf8)
    try
      (text.replacingOccurrences(of: "parameters:\n", with: "")
      .replacingOccurrences(of: "  algorithm:", with: "parameters:\n  algorithm:")
      + extra.replacingOccurrences(of: "parameters:\n", with: ""))
      .write(to: sweep.sweepFile, atomically: true, encoding: .utf8)
    let outcome = try sweep.run(["sweep", "run", "s.yaml"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains(message))
    #expect(!FileManager.default.fileExists(atPath: sweep.database.path))
  }

  @Test func bothFailurePoliciesAtOnceExit64() throws {
    let sweep = try SweepHarness()
    let outcome = try sweep.run(
      ["sweep", "run", "s.yaml", "--keep-going", "--fail-fast"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("one of --keep-going and --fail-fast"))
    #expect(!FileManager.default.fileExists(atPath: sweep.database.path))
  }

  @Test func aBadOverrideExits64() throws {
    let sweep = try SweepHarness()
    let outcome = try sweep.run(["sweep", "run", "s.yaml", "ppo.learning_rate=2"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("ppo.learning_rate"))
    #expect(!FileManager.default.fileExists(atPath: sweep.database.path))
  }

  @Test func aFailedRunLeavesTheOthersToFinishAndItsReasonIsShown() throws {
    let sweep = try SweepHarness()
    let outcome = try sweep.run(
      ["sweep", "run", "s.yaml", "--jobs", "3"],
      environment: SweepHarness.engine(failingSeed: 2))
    #expect(outcome.status == 1)
    #expect(outcome.stdout == "sweep 'demo': 4 done, 2 failed, 0 stopped\n")
    #expect(outcome.stderr.contains("non-finite policy loss (nan) at iteration 1"))
    #expect(outcome.stderr.contains("  | error: non-finite policy loss"))
    let statuses = try sweep.statuses()
    #expect(statuses.values.sorted() == ["done", "done", "done", "done", "failed", "failed"])

    let status = try sweep.run(["sweep", "status", "demo"])
    #expect(status.status == 0)
    let lines = status.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "sweep 'demo': 6 runs (4 done, 2 failed)")
    let failedRow = try #require(lines.first { $0.hasPrefix("imdb-rlhf-s2-") })
    #expect(failedRow.contains("failed  1/4        2.0000"))
    let doneRow = try #require(lines.first { $0.hasPrefix("imdb-rlhf-s3-") })
    #expect(doneRow.contains("done    4/4        3.0300"))
    #expect(
      lines.contains {
        $0.hasPrefix("failed: imdb-rlhf-s2-")
          && $0.contains("non-finite policy loss (nan) at iteration 1")
      })
    let log = sweep.folder.appendingPathComponent("runs/logs")
    #expect(try FileManager.default.contentsOfDirectory(atPath: log.path).count == 7)

    // Re-running the file runs only the two failed runs.
    let again = try sweep.run(["sweep", "run", "s.yaml"])
    #expect(again.status == 0)
    #expect(again.stdout == "sweep 'demo': 2 done, 0 failed, 0 stopped\n")
    #expect(again.stderr.contains("6 runs: 2 to resume (2 failed), 4 done"))
  }

  @Test func failFastStopsTheSweepAtTheFirstFailure() throws {
    let sweep = try SweepHarness()
    let outcome = try sweep.run(
      ["sweep", "run", "s.yaml", "--jobs", "1", "--fail-fast"],
      environment: SweepHarness.engine(failingSeed: 2))
    #expect(outcome.status == 1)
    // Seed 1 runs, seed 2 fails, nothing else starts.
    #expect(outcome.stdout == "sweep 'demo': 1 done, 1 failed, 4 stopped\n")
    let statuses = try sweep.statuses().values.sorted()
    #expect(statuses == ["done", "failed", "pending", "pending", "pending", "pending"])
  }

  @Test func aSweepKilledPartWayResumesEveryRunExactlyOnce() throws {
    let sweep = try SweepHarness()
    let slow = SweepHarness.engine(delay: 0.2)
    let process = try sweep.start(
      ["sweep", "run", "s.yaml", "--jobs", "2"], environment: slow)
    // The store is read once the sweep has made it (a read-only open of a
    // file still being created fails, so failures count as not yet).
    let started = SweepHarness.wait(upTo: 60) {
      (try? sweep.statuses())?.values.contains("done") ?? false
    }
    #expect(started)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    // Its children notice, record their runs interrupted and exit.
    #expect(SweepHarness.wait(upTo: 30) { !sweep.processesAlive() })
    #expect(!(try sweep.statuses().values.contains("running")))
    let before = try sweep.statuses().values
    #expect(before.contains("pending") || before.contains("interrupted"))

    let resumed = try sweep.run(["sweep", "resume", "demo"])
    #expect(resumed.status == 0)
    #expect(try sweep.statuses().values.allSatisfy { $0 == "done" })
    let store = try Store(at: sweep.database, options: .readOnly)
    let counts = try store.rows(
      """
      SELECT run_id, count(*) AS n, min(iteration) AS lo, max(iteration) AS hi
      FROM iterations GROUP BY run_id
      """)
    #expect(counts.count == 6)
    for row in counts {
      #expect(try row.get("n", as: Int.self) == 4)
      #expect(try row.get("lo", as: Int.self) == 0)
      #expect(try row.get("hi", as: Int.self) == 3)
    }
    #expect(try store.integrityProblems().isEmpty)
    let again = try sweep.run(["sweep", "resume", "demo"])
    #expect(again.status == 0)
    #expect(again.stdout.isEmpty)
    #expect(again.stderr.contains("nothing to run"))
  }

  @Test func aRunWhoseProcessIsKilledIsRecordedCrashedAndResumes() throws {
    let sweep = try SweepHarness(seeds: [1])
    let process = try sweep.start(
      ["sweep", "run", "s.yaml", "--jobs", "1"],
      environment: SweepHarness.engine(delay: 0.5))
    var victim: Int32?
    #expect(
      SweepHarness.wait(upTo: 60) {
        guard (try? sweep.statuses())?.values.contains("running") == true
        else { return false }
        victim = sweep.runProcesses(containing: "--identity").first
        return victim != nil
      })
    kill(try #require(victim), SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    let statuses = try sweep.statuses()
    #expect(statuses.values.sorted() == ["crashed", "done"])

    let status = try sweep.run(["sweep", "status"])
    #expect(status.stdout.contains("the run's process was killed by signal 9"))
    let resumed = try sweep.run(["sweep", "resume", "demo"])
    #expect(resumed.status == 0)
    #expect(resumed.stderr.contains("2 runs: 1 to resume (1 crashed), 1 done"))
    #expect(try sweep.statuses().values.sorted() == ["done", "done"])
  }

  @Test func twoSweepsOfOneFileAtOnceRunEachRunOnce() throws {
    let sweep = try SweepHarness()
    let engine = SweepHarness.engine(delay: 0.1)
    let other = try sweep.start(
      ["sweep", "run", "s.yaml", "--jobs", "2"], environment: engine)
    let outcome = try sweep.run(
      ["sweep", "run", "s.yaml", "--jobs", "2"], environment: engine)
    other.waitUntilExit()
    // Runs the other sweep was running are neither done here nor failures;
    // a start that finds the new file locked by the other's creation of it
    // fails and says so (README, limitations).
    #expect(
      outcome.status == 0 || outcome.stderr.contains("database is locked"),
      "\(outcome.stdout)\(outcome.stderr)")
    #expect(!outcome.stderr.contains("error: failed"))
    #expect(try sweep.statuses().values.allSatisfy { $0 == "done" })
    let store = try Store(at: sweep.database, options: .readOnly)
    let counts = try store.rows(
      "SELECT count(*) AS n FROM iterations GROUP BY run_id")
    #expect(try counts.map { try $0.get("n", as: Int.self) } == [4, 4, 4, 4, 4, 4])
  }

  @Test func sigtermInterruptsTheRunsAndExits143() throws {
    let sweep = try SweepHarness()
    let process = try sweep.start(
      ["sweep", "run", "s.yaml", "--jobs", "2"],
      environment: SweepHarness.engine(delay: 0.5))
    #expect(sweep.stop(process, with: SIGTERM))
    #expect(process.terminationStatus == 143)
    let statuses = try sweep.statuses().values
    #expect(!statuses.contains("running"))
    #expect(statuses.contains("interrupted"))
    #expect(!statuses.contains("failed"))
  }

  @Test func changedSettingsAreRefusedUnlessForced() throws {
    let sweep = try SweepHarness(seeds: [1])
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    let changed = try sweep.run(["sweep", "run", "s.yaml", "ppo.learning_rate=2e-4"])
    #expect(changed.status == 64)
    #expect(changed.stderr.contains("ppo.learning_rate: 0.0001 → 0.0002"))
    let forced = try sweep.run(
      ["sweep", "run", "s.yaml", "ppo.learning_rate=2e-4", "--force"])
    #expect(forced.status == 0)
    #expect(try sweep.statuses().count == 4)
    // The old runs stay in the store but leave the sweep, so its status and
    // resume cover the new settings only.
    let status = try sweep.run(["sweep", "status", "demo"])
    #expect(status.stdout.hasPrefix("sweep 'demo': 2 runs (2 done)"), "\(status.stdout)")
    let store = try Store(at: sweep.database, options: .readOnly)
    let linked = try store.rows(
      """
      SELECT json_extract(config_json, '$."ppo.learning_rate"') AS lr FROM runs
      WHERE id IN (SELECT run_id FROM sweep_runs)
      """)
    #expect(try linked.map { try $0.get("lr", as: Double.self) } == [2e-4, 2e-4])
    let resumed = try sweep.run(["sweep", "resume", "demo"])
    #expect(resumed.stderr.contains("nothing to run"))
  }

  @Test func runRegistersOneConfigurationWithoutASweep() throws {
    let sweep = try SweepHarness()
    let arguments = ["run", "task=imdb", "preset=tiny", "seed=7"]
    let outcome = try sweep.run(arguments)
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("imdb-rlhf-s7-"))
    #expect(outcome.stdout.hasSuffix(": done\n"))
    let store = try Store(at: sweep.database, options: .readOnly)
    #expect(try store.rows("SELECT * FROM sweep_runs").isEmpty)
    #expect(try store.runs().first?.lastIteration == 3)
    let again = try sweep.run(arguments)
    #expect(again.stdout.hasSuffix(": already done\n"))
  }

  @Test func statusOfAnUnknownSweepSuggestsARecordedOne() throws {
    let sweep = try SweepHarness(seeds: [1])
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    let outcome = try sweep.run(["sweep", "status", "dmeo"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("did you mean 'demo'"))
  }
}
