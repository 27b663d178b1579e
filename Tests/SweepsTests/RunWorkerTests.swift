import Configuration
import Foundation
import Sweeps
import Testing
import TextData
import Tracking

@Suite struct RunWorkerTests {
  /// A store with the runs of seeds 1 and 2 (tiny IMDB, M = 4) registered.
  static func registered() throws -> (Store, [PlannedRun]) {
    let store = try SweepLedgerTests.temporaryStore()
    let plan = try SweepLedgerTests.plan(seeds: "[1, 2]")
    _ = try SweepLedger(store: store).record(
      plan, specText: "a", iterationsPlanned: { _ in 4 })
    return (store, plan.runs)
  }

  static let engine = SimulatedEngine(delay: 0, failingSeed: 2)

  @Test func aRunRecordsEveryIterationAndEndsDone() throws {
    let (store, runs) = try Self.registered()
    let worker = try RunWorker(store: store, identity: runs[0].identity)
    try worker.execute(with: Self.engine, staleAfter: 180)
    let record = try #require(try store.run(identity: runs[0].identity))
    #expect(record.status == .done)
    #expect(record.lastIteration == 3)
    #expect(throws: SweepError.alreadyDone(name: runs[0].name)) {
      try worker.execute(with: Self.engine, staleAfter: 180)
    }
  }

  @Test func aFailingRunRecordsItsReasonAndResumesAfterItsLastIteration()
    throws
  {
    let (store, runs) = try Self.registered()
    let worker = try RunWorker(store: store, identity: runs[1].identity)
    #expect(throws: SweepError.simulatedDivergence(iteration: 1)) {
      try worker.execute(with: Self.engine, staleAfter: 180)
    }
    let failed = try #require(try store.run(identity: runs[1].identity))
    #expect(failed.status == .failed)
    #expect(failed.error?.contains("non-finite policy loss") == true)
    #expect(failed.lastIteration == 0)

    let healthy = SimulatedEngine(delay: 0, failingSeed: nil)
    try RunWorker(store: store, identity: runs[1].identity)
      .execute(with: healthy, staleAfter: 180)
    let iterations = try store.rows(
      "SELECT iteration FROM iterations WHERE run_id = ? ORDER BY iteration",
      [failed.id.sqlValue])
    #expect(
      try iterations.map { try $0.get("iteration", as: Int.self) }
        == [0, 1, 2, 3])
  }

  @Test func aRunningRunWithAFreshHeartbeatIsRefused() throws {
    let (store, runs) = try Self.registered()
    let record = try #require(try store.run(identity: runs[0].identity))
    try store.setStatus(.running, of: record.id)
    let worker = try RunWorker(store: store, identity: runs[0].identity)
    #expect(throws: SweepError.self) {
      try worker.execute(with: Self.engine, staleAfter: 180)
    }
    #expect(try store.run(record.id)?.status == .running)
  }

  /// An engine that records nothing and waits until the store shows a
  /// heartbeat after the run's start (at most 20 s).
  struct WaitsForHeartbeat: RunEngine {
    func availablePrompts(for task: TaskName) throws -> Int? { nil }
    func prepareStages(
      for configuration: RunConfiguration, in store: Store, sweep: SweepID?,
      progress: @escaping @Sendable (String) -> Void
    ) throws {}
    func execute(
      _ configuration: RunConfiguration, as run: RunID, in store: Store,
      progress: @escaping @Sendable (String) -> Void
    ) throws {
      let deadline = Date().addingTimeInterval(20)
      while Date() < deadline {
        let row = try store.rows(
          "SELECT heartbeat_at > started_at AS beat FROM runs WHERE id = ?",
          [run.sqlValue]
        ).first
        if try row?.get("beat", as: Int.self) == 1 { return }
        Thread.sleep(forTimeInterval: 0.01)
      }
      throw SweepError.simulatedDivergence(iteration: -1)
    }
  }

  @Test func aRunSendsHeartbeatsWhileTheEngineRecordsNothing() throws {
    let (store, runs) = try Self.registered()
    let worker = try RunWorker(
      store: store, identity: runs[0].identity, heartbeatInterval: 0.02)
    try worker.execute(with: WaitsForHeartbeat(), staleAfter: 180)
    #expect(try store.run(identity: runs[0].identity)?.status == .done)
  }

  @Test func anUnknownIdentityIsNamed() throws {
    let (store, _) = try Self.registered()
    let identity = String(repeating: "0", count: 64)
    #expect(throws: SweepError.unknownRun(identity: identity)) {
      try RunWorker(store: store, identity: identity)
    }
  }
}
