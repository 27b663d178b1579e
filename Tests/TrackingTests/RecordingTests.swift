import Foundation
import Testing

@testable import Tracking

@Suite("Recording")
struct RecordingTests {
  @Test func registeringTheSameIdentityTwiceReturnsTheSameRun() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))
    let sweep = try store.recordSweep(named: "grid", specText: "a")
    let other = try store.recordSweep(named: "grid-2", specText: "b")

    let first = try store.register(Fixtures.spec("a"), in: sweep)
    let second = try store.register(Fixtures.spec("a"), in: other)
    let third = try store.register(Fixtures.spec("b"), in: sweep)

    #expect(first == second)
    #expect(third != first)
    #expect(try store.runs().count == 2)
    #expect(try store.runIDs(in: sweep) == [first, third])
    #expect(try store.runIDs(in: other) == [first])
    #expect(try store.recordSweep(named: "grid", specText: "a2") == sweep)
  }

  @Test func anIdentityWithAnotherConfigurationIsRefused() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))
    var spec = Fixtures.spec("a")
    try store.register(spec)
    spec.configJSON = "{\"label\":\"changed\"}"

    #expect(throws: TrackingError.identityConflict(identity: spec.identity)) {
      try store.register(spec)
    }
  }

  /// Specs with one value out of range, and the field the error must name.
  static let badSpecs: [(String, RunSpec)] = {
    let good = Fixtures.spec("a")
    var cases: [(String, RunSpec)] = []
    var spec = good
    spec.alpha = 1.5
    cases.append(("alpha", spec))
    spec = good
    spec.alpha = 0
    cases.append(("alpha", spec))
    spec = good
    spec.rho = -0.1
    cases.append(("rho", spec))
    spec = good
    spec.warmStart = -1
    cases.append(("warm start n", spec))
    spec = good
    spec.identity = "abc"
    cases.append(("run identity", spec))
    return cases
  }()

  @Test(arguments: badSpecs)
  func outOfRangeSpecsAreRefusedBeforeWriting(field: String, spec: RunSpec) throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))

    let error = #expect(throws: TrackingError.self) { try store.register(spec) }

    guard case .invalidValue(let name, _, _) = try #require(error) else {
      Issue.record("expected invalidValue, got \(String(describing: error))")
      return
    }
    #expect(name == field)
    #expect(try store.runs().isEmpty)
  }

  @Test(arguments: [
    ([RunStatus.running], true), ([.running, .done], true), ([.running, .failed], true),
    ([.running, .interrupted, .running, .done], true), ([.running, .crashed, .running], true),
    ([.running, .failed, .pending, .running], true), ([.done], false),
    ([.running, .running], false), ([.running, .done, .running], false),
    ([.running, .pending], false), ([.crashed], false),
  ])
  func statusChangesFollowTheLifeOfARun(_ statuses: [RunStatus], allowed: Bool) throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))
    let run = try store.register(Fixtures.spec("a"))

    var refused: TrackingError?
    for status in statuses where refused == nil {
      do {
        try store.setStatus(status, of: run, error: status == .failed ? "NaN loss" : nil)
      } catch {
        refused = error
      }
    }

    #expect((refused == nil) == allowed, "\(statuses): \(String(describing: refused))")
    let record = try #require(try store.run(run))
    if allowed {
      #expect(record.status == statuses.last)
      #expect((record.finishedAt != nil) == record.status.isFinished)
      #expect((record.error == "NaN loss") == (record.status == .failed))
    }
  }

  @Test func aSilentRunningRunIsReportedAndThenMarkedCrashed() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let silent = try store.register(Fixtures.spec("silent"))
    let alive = try store.register(Fixtures.spec("alive"))
    let finished = try store.register(Fixtures.spec("finished"))
    for run in [silent, alive, finished] { try store.setStatus(.running, of: run, at: start) }
    try store.setStatus(.done, of: finished, at: start)
    try store.heartbeat(of: alive, at: start.addingTimeInterval(100))
    let now = start.addingTimeInterval(130)

    let reported = try store.runs(staleAfter: 60, now: now).map(\.status)
    #expect(reported == [.crashed, .running, .done])
    #expect(try store.run(silent)?.status == .running)

    #expect(try store.markStaleRunsCrashed(staleAfter: 60, now: now) == [silent])
    let record = try #require(try store.run(silent))
    #expect(record.status == .crashed)
    #expect(record.error?.contains("no heartbeat since 2027-01-15T08:00:00.000Z") == true)
    #expect(try store.markStaleRunsCrashed(staleAfter: 60, now: now).isEmpty)
    #expect(try store.info().runsByStatus[.crashed] == 1)
  }

  @Test func reRecordingOrGoingBackIsRefusedAndResumeAppends() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    #expect(try store.lastIteration(of: run) == nil)
    for iteration in 0..<3 {
      try store.record(Fixtures.iteration(iteration, episodes: 4, prompts: prompts), of: run)
    }

    for iteration in [2, 0] {
      #expect(
        throws: TrackingError.iterationNotAfterLast(
          run: run.rawValue, iteration: iteration, last: 2)
      ) {
        try store.record(Fixtures.iteration(iteration, episodes: 4, prompts: prompts), of: run)
      }
    }
    let next = try #require(try store.lastIteration(of: run)) + 1
    try store.record(Fixtures.iteration(next, episodes: 4, prompts: prompts), of: run)

    #expect(try store.lastIteration(of: run) == 3)
    #expect(try Fixtures.count(store, "SELECT count(*) FROM episodes") == 16)
  }

  @Test func aFailingIterationLeavesNoRowBehind() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    var iteration = Fixtures.iteration(0, episodes: 10, prompts: prompts)
    iteration.episodes[7].prompt = PromptID(rawValue: 999)

    let error = #expect(throws: TrackingError.self) { try store.record(iteration, of: run) }

    guard case .sqlite(let path, let code, let message, _) = try #require(error) else {
      Issue.record("expected an SQLite error, got \(String(describing: error))")
      return
    }
    #expect(path == store.url.path)
    #expect(code == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
    #expect(message == "FOREIGN KEY constraint failed")
    for table in ["iterations", "iteration_stats", "episodes"] {
      #expect(try Fixtures.count(store, "SELECT count(*) FROM \(table)") == 0, "\(table)")
    }
    #expect(try store.lastIteration(of: run) == nil)
  }

  @Test(arguments: [(-1, 5, "iteration"), (0, 6, "kept count α′ of iteration 0")])
  func badIterationNumbersAreRefused(iteration: Int, kept: Int, field: String) throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    var record = Fixtures.iteration(0, episodes: 5, prompts: prompts)
    record.iteration = iteration
    record.keptCount = kept

    let error = #expect(throws: TrackingError.self) { try store.record(record, of: run) }

    guard case .invalidValue(let name, _, _) = try #require(error) else {
      Issue.record("expected invalidValue, got \(String(describing: error))")
      return
    }
    #expect(name == field)
  }

  @Test func recordingForAnUnknownRunIsRefused() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, _, prompts) = try Fixtures.storeWithRun(in: directory)

    #expect(throws: TrackingError.unknownRun(id: 42)) {
      try store.record(
        Fixtures.iteration(0, episodes: 2, prompts: prompts), of: RunID(rawValue: 42))
    }
    #expect(throws: TrackingError.unknownRun(id: 42)) {
      try store.heartbeat(of: RunID(rawValue: 42))
    }
  }

  @Test func promptUpsertsKeepIdsAndAKnownScore() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))
    var prompts = Fixtures.prompts(3)
    prompts[1].score = 0.75
    let ids = try store.upsert(prompts: prompts)

    prompts[1].score = nil
    prompts[1].text = "edited"
    prompts[2].score = -0.5
    let again = try store.upsert(prompts: prompts)

    #expect(again == ids)
    let rows = try store.rows("SELECT text, score FROM prompts ORDER BY id")
    #expect(try rows.map { try $0.get("score", as: Double?.self) } == [nil, 0.75, -0.5])
    #expect(try rows[1].get("text", as: String.self) == "edited")
  }

  @Test func evaluationEpisodesAreRecordedOncePerSetAndMetricsUpdate() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    let episodes = Fixtures.episodes(5, iteration: 0, prompts: prompts)

    try store.record(evaluationEpisodes: episodes, of: run, on: "imdb-test")
    try store.record(evaluationEpisodes: episodes, of: run, on: "imdb-test-tail")
    #expect(
      throws: TrackingError.evaluationAlreadyRecorded(run: run.rawValue, evalSet: "imdb-test")
    ) {
      try store.record(evaluationEpisodes: episodes, of: run, on: "imdb-test")
    }
    try store.record(
      evaluationMetrics: ["reward_mean": 0.1, "perplexity": 30], of: run, on: "imdb-test")
    try store.record(evaluationMetrics: ["reward_mean": 0.2], of: run, on: "imdb-test")

    #expect(
      try Fixtures.count(
        store, "SELECT count(*) FROM episodes WHERE phase = 'eval' AND in_tail IS NULL") == 10)
    let metrics = try store.rows("SELECT metric, value FROM evaluations ORDER BY metric")
    #expect(
      metrics.map(\.values) == [
        [.text("perplexity"), .real(30)], [.text("reward_mean"), .real(0.2)],
      ])
  }

  @Test func artifactsAreOneRowPerContentHash() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, _) = try Fixtures.storeWithRun(in: directory)
    let file = directory.appendingPathComponent("ckpt.bin")
    try Data("weights".utf8).write(to: file)
    let copy = directory.appendingPathComponent("copy.bin")
    try Data("weights".utf8).write(to: copy)

    let first = try store.recordArtifact(kind: "checkpoint", fileAt: file)
    let second = try store.recordArtifact(kind: "checkpoint", fileAt: copy)
    try store.link(first, to: run, role: "output")
    try store.link(first, to: run, role: "output")

    #expect(first == second)
    let row = try #require(try store.rows("SELECT * FROM artifacts").first)
    #expect(try row.get("path", as: String.self) == file.path)
    #expect(try row.get("bytes", as: Int.self) == 7)
    #expect(
      try row.get("content_hash", as: String.self)
        == "9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c")
    #expect(try Fixtures.count(store, "SELECT count(*) FROM run_artifacts") == 1)
  }
}
