import Configuration
import Foundation
import Sweeps
import Testing
import Tracking

@Suite struct SweepLedgerTests {
  static func plan(seeds: String = "[1, 2, 3]") throws -> SweepPlan {
    try Sweep(
      text: """
        name: ledger
        task: imdb
        preset: tiny
        parameters:
          seed: {values: \(seeds)}
        """, file: "l.yaml"
    ).plan()
  }

  static func temporaryStore() throws -> Store {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("ledger-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    return try Store(at: folder.appendingPathComponent("runs.sqlite"))
  }

  @Test func recordingRegistersEveryRunWithItsConfigurationBeforeAnyStarts()
    throws
  {
    let store = try Self.temporaryStore()
    let plan = try Self.plan()
    let ledger = SweepLedger(store: store)
    let ids = try ledger.record(
      plan, specText: "name: ledger\n", iterationsPlanned: { _ in 4 })
    #expect(ids.count == 3)
    let runs = try store.runs()
    #expect(runs.map(\.status) == [.pending, .pending, .pending])
    #expect(runs.map(\.spec.identity) == plan.runs.map(\.identity))
    #expect(
      runs.map(\.spec.configJSON)
        == plan.runs.map(\.configuration.canonicalJSON))
    #expect(runs.allSatisfy { $0.spec.iterationsPlanned == 4 })
    let sweep = try #require(try ledger.sweepID(named: "ledger"))
    #expect(try store.runIDs(in: sweep).count == 3)
    let hash = try store.rows("SELECT spec_hash FROM sweeps")
    #expect(hash.count == 1)
  }

  @Test func staleRunningRunsAreCrashedAndResumedFreshOnesLeftAlone() throws {
    let store = try Self.temporaryStore()
    let plan = try Self.plan()
    let ledger = SweepLedger(store: store)
    let ids = try ledger.record(
      plan, specText: "name: ledger\n", iterationsPlanned: { _ in 4 })
    let runs = plan.runs.compactMap { ids[$0.identity] }
    let longAgo = Date().addingTimeInterval(-1_000)
    try store.setStatus(.running, of: runs[0], at: longAgo)
    try store.setStatus(.running, of: runs[1])
    try store.setStatus(.running, of: runs[2])
    try store.setStatus(.done, of: runs[2])

    let resume = try ledger.resumePlan(
      for: plan, force: false, staleAfter: 180)
    #expect(
      resume.actions.map(\.action) == [
        .resume(.crashed), .skipRunning, .skipDone,
      ])
    #expect(try store.run(runs[0])?.status == .crashed)
    #expect(try store.run(runs[0])?.error?.contains("no heartbeat") == true)
  }

  @Test func changedSettingsOfARecordedSweepAreRefusedUnlessForced() throws {
    let store = try Self.temporaryStore()
    let ledger = SweepLedger(store: store)
    let before = try Self.plan()
    _ = try ledger.record(
      before, specText: "a", iterationsPlanned: { _ in nil })
    let after = try Sweep(
      text: """
        name: ledger
        task: imdb
        preset: tiny
        parameters:
          seed: {values: [1, 2, 3]}
          ppo.learning_rate: {value: 0.0002}
        """, file: "l.yaml"
    ).plan()
    #expect(throws: SweepError.self) {
      try ledger.resumePlan(for: after, force: false, staleAfter: 180)
    }
    let forced = try ledger.resumePlan(for: after, force: true, staleAfter: 180)
    #expect(forced.changes.count == 3)
    #expect(forced.runsToRun.count == 3)
  }

  @Test func recordedPlanRebuildsTheRunsAndNamesUnknownSweeps() throws {
    let store = try Self.temporaryStore()
    let ledger = SweepLedger(store: store)
    let plan = try Self.plan()
    _ = try ledger.record(plan, specText: "a", iterationsPlanned: { _ in nil })
    let rebuilt = try ledger.recordedPlan(named: "ledger", staleAfter: 180)
    #expect(rebuilt.runs.map(\.identity) == plan.runs.map(\.identity))
    #expect(throws: SweepError.unknownSweep("ledgr", known: ["ledger"])) {
      try ledger.recordedPlan(named: "ledgr", staleAfter: 180)
    }
    #expect(
      SweepError.unknownSweep("ledgr", known: ["ledger"]).description
        == "no sweep named 'ledgr' is recorded (did you mean 'ledger'?)")
  }

  @Test func stageRunsOfThisProcessAreInterruptedAndOlderOnesLeftAlone()
    throws
  {
    let store = try Self.temporaryStore()
    let ledger = SweepLedger(store: store)
    func stageRun(_ digit: String, _ algorithm: RunSpec.Algorithm) throws -> RunID {
      try store.register(
        RunSpec(
          identity: String(repeating: digit, count: 64), name: "imdb-\(digit)",
          task: "imdb", algorithm: algorithm, preset: "tiny", seed: 0,
          configJSON: "{}"))
    }
    let older = try stageRun("a", .base)
    let base = try stageRun("b", .base)
    let sft = try stageRun("c", .sft)
    let since = Date()
    try store.setStatus(.running, of: older, at: since.addingTimeInterval(-60))
    try store.setStatus(.running, of: base, at: since.addingTimeInterval(1))
    try store.setStatus(.running, of: sft, at: since.addingTimeInterval(1))
    try store.setStatus(.done, of: sft, at: since.addingTimeInterval(2))

    // Starts were recorded a second ahead; a heartbeat now moves it back.
    ledger.heartbeatStageRuns(startedSince: since)
    let beat = try #require(try store.run(base)?.heartbeatAt)
    #expect(beat < since.addingTimeInterval(0.9))
    let olderBeat = try #require(try store.run(older)?.heartbeatAt)
    #expect(olderBeat < since.addingTimeInterval(-59))
    ledger.interruptStageRuns(startedSince: since, reason: "stopped by SIGINT")
    #expect(try store.run(older)?.status == .running)
    #expect(try store.run(base)?.status == .interrupted)
    #expect(try store.run(base)?.error == "stopped by SIGINT")
    #expect(try store.run(sft)?.status == .done)
  }

  /// A forced change of settings: the old run of a changed cell and the
  /// sweep's base and SFT runs leave the sweep but stay in the store.
  @Test func forcingNewSettingsUnlinksTheOldRunsAndTheStageRuns() throws {
    let store = try Self.temporaryStore()
    let ledger = SweepLedger(store: store)
    let old = try Self.plan(seeds: "[1, 2]")
    _ = try ledger.record(old, specText: "a", iterationsPlanned: { _ in 4 })
    let sweep = try #require(try ledger.sweepID(named: "ledger"))
    let base = try store.register(
      RunSpec(
        identity: String(repeating: "b", count: 64), name: "imdb-base",
        task: "imdb", algorithm: .base, preset: "tiny", seed: 0, configJSON: "{}"),
      in: sweep)
    let new = try Sweep(
      text: """
        name: ledger
        task: imdb
        preset: tiny
        parameters:
          seed: {values: [1, 2]}
          ppo.learning_rate: {value: 2.0e-4}
        """, file: "l.yaml"
    ).plan()
    #expect(throws: SweepError.self) {
      _ = try ledger.resumePlan(for: new, force: false, staleAfter: 60)
    }
    let resume = try ledger.resumePlan(for: new, force: true, staleAfter: 60)
    #expect(resume.changes.count == 2)
    let ids = try ledger.record(new, specText: "b", iterationsPlanned: { _ in 4 })
    try ledger.unlinkSuperseded(resume, of: new)
    #expect(Set(try store.runIDs(in: sweep)) == Set(ids.values))
    #expect(try store.runs().count == 5)
    #expect(try store.run(base)?.spec.algorithm == .base)
  }

  @Test func statusReadsTheLatestRewardOfEachRun() throws {
    let store = try Self.temporaryStore()
    let ledger = SweepLedger(store: store)
    let plan = try Self.plan(seeds: "[1, 2]")
    let ids = try ledger.record(
      plan, specText: "a", iterationsPlanned: { _ in 4 })
    let first = try #require(ids[plan.runs[0].identity])
    try store.setStatus(.running, of: first)
    for (iteration, reward) in [(0, 0.5), (1, -0.25)] {
      try store.record(
        IterationRecord(
          iteration: iteration, keptCount: 0,
          statistics: ["env/reward_mean": reward], episodes: []),
        of: first)
    }
    let rows = try ledger.runs(
      ofSweep: "ledger", statistic: "env/reward_mean", staleAfter: 180)
    #expect(rows.map(\.latest) == [-0.25, nil])
    #expect(rows.map(\.run.lastIteration) == [1, nil])
  }
}
