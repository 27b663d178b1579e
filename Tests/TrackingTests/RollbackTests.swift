import Foundation
import Testing

@testable import Tracking

@Suite("Rollback")
struct RollbackTests {
  /// Five iterations and an evaluation of one run, one iteration of another.
  static func filledStore(in directory: URL) throws -> (Store, RunID, RunID) {
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    let other = try store.register(Fixtures.spec("run-b"))
    for iteration in 0..<5 {
      try store.record(Fixtures.iteration(iteration, episodes: 4, prompts: prompts), of: run)
    }
    try store.record(Fixtures.iteration(0, episodes: 4, prompts: prompts), of: other)
    let evaluation = Fixtures.episodes(3, iteration: 0, prompts: prompts).map {
      var episode = $0
      episode.inTail = nil
      return episode
    }
    try store.record(evaluationEpisodes: evaluation, of: run, on: "test")
    try store.record(evaluationMetrics: ["reward": 1], of: run, on: "test")
    return (store, run, other)
  }

  /// (kept up to, iterations deleted, last iteration left)
  static let cases: [(Int?, Int, Int?)] = [(2, 2, 2), (nil, 5, nil), (4, 0, 4), (0, 4, 0)]

  @Test(arguments: cases)
  func discardsIterationsAfterTheCheckpointAndTheEvaluation(
    after: Int?, deleted: Int, last: Int?
  ) throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, other) = try Self.filledStore(in: directory)

    #expect(try store.discardProgress(of: run, after: after) == deleted)

    #expect(try store.lastIteration(of: run) == last)
    let kept = (last ?? -1) + 1
    let bindings = [run.sqlValue]
    #expect(
      try Fixtures.count(
        store, "SELECT count(*) FROM episodes WHERE run_id = ? AND phase = 'train'", bindings)
        == kept * 4)
    #expect(
      try Fixtures.count(
        store, "SELECT count(*) FROM iteration_stats WHERE run_id = ?", bindings) == kept * 4)
    #expect(
      try Fixtures.count(
        store, "SELECT count(*) FROM episodes WHERE run_id = ? AND phase = 'eval'", bindings)
        == 0)
    #expect(
      try Fixtures.count(store, "SELECT count(*) FROM evaluations WHERE run_id = ?", bindings)
        == 0)
    // The other run is untouched, and the run continues after `last`.
    #expect(try store.lastIteration(of: other) == 0)
    let prompts = try store.upsert(prompts: Fixtures.prompts(8))
    try store.record(Fixtures.iteration(kept, episodes: 4, prompts: prompts), of: run)
    #expect(try store.lastIteration(of: run) == kept)
  }

  @Test func negativeIterationsAndUnknownRunsAreRefused() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, _) = try Self.filledStore(in: directory)
    #expect(
      throws: TrackingError.invalidValue(
        field: "iteration to keep up to", value: "-1", allowed: "≥ 0, or nil for none")
    ) {
      try store.discardProgress(of: run, after: -1)
    }
    #expect(throws: TrackingError.unknownRun(id: 999)) {
      try store.discardProgress(of: RunID(rawValue: 999), after: nil)
    }
    #expect(try store.lastIteration(of: run) == 4)
  }
}
