import Foundation
import Testing

@testable import Tracking

/// Several processes, kills and readers against one store file.
@Suite("Processes sharing a store")
struct ConcurrencyTests {
  /// Counts every iteration of `run` that does not have exactly `episodes`
  /// episodes with the writer's text and four statistics.
  static func incompleteIterations(_ store: Store, _ run: RunID, episodes: Int) throws -> Int {
    try Fixtures.count(
      store,
      """
      SELECT count(*) FROM iterations AS i WHERE i.run_id = ?1 AND (
        (SELECT count(*) FROM episodes AS e WHERE e.run_id = ?1
           AND e.iteration = i.iteration
           AND e.completion LIKE 'it=' || e.iteration || ' pos=' || e.position || ' %') != ?2
        OR (SELECT count(*) FROM iteration_stats AS s WHERE s.run_id = ?1
              AND s.iteration = i.iteration) != 4)
      """, [run.sqlValue, .integer(Int64(episodes))])
  }

  @Test func severalProcessesWriteOneFileAtOnceWithoutLockErrors() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = directory.appendingPathComponent("shared.sqlite")
    let labels = ["w0", "w1", "w2", "w3"]

    // Every writer registers its run, then all start writing at once.
    let start = directory.appendingPathComponent("start")
    let writers = try labels.map { label in
      try WriterProcess(
        store: url, label: label, iterations: 25, episodes: 1000, startFile: start)
    }
    for writer in writers { try #require(writer.waitFor(line: "ready")) }
    try Data().write(to: start)
    let endings = writers.map { $0.finish() }

    for (label, ending) in zip(labels, endings) {
      #expect(ending.status == 0 && !ending.signalled, "\(label): \(ending.errors)")
      #expect(ending.errors.isEmpty, "\(label)")
    }
    let store = try Store(at: url, options: .readOnly)
    #expect(try store.integrityProblems().isEmpty)
    #expect(try store.info().rowCounts["episodes"] == 100_000)
    let runs = try store.runs()
    #expect(runs.map(\.spec.name).sorted() == labels)
    for run in runs {
      #expect(run.status == .done)
      #expect(run.lastIteration == 24)
      #expect(
        try Fixtures.count(
          store, "SELECT count(*) FROM episodes WHERE run_id = ?", [run.id.sqlValue])
          == 25_000)
      #expect(try Self.incompleteIterations(store, run.id, episodes: 1000) == 0)
    }
    // The writers really wrote at the same time: at least two runs were
    // committing during one another's span, and the commit order switches
    // between runs more often than runs written one after another would
    // (labels.count - 1). A loaded machine can still let one writer finish
    // before another gets a core, so not every pair is required to overlap.
    let spans = try store.rows(
      """
      SELECT min(recorded_at) AS first, max(recorded_at) AS last
      FROM iterations GROUP BY run_id
      """
    ).map { (try $0.get("first", as: String.self), try $0.get("last", as: String.self)) }
    let overlapping = spans.indices.flatMap { i in
      spans.indices.filter { $0 > i }.map { (i, $0) }
    }.filter { spans[$0.0].0 < spans[$0.1].1 && spans[$0.1].0 < spans[$0.0].1 }
    #expect(!overlapping.isEmpty, "spans: \(spans)")
    let order = try store.rows(
      "SELECT run_id FROM iterations ORDER BY recorded_at, run_id, iteration"
    ).map { try $0.get("run_id", as: Int.self) }
    let switches = zip(order, order.dropFirst()).filter { $0 != $1 }.count
    #expect(switches >= labels.count, "commit order: \(order)")
  }

  @Test func aKilledWriterLeavesWholeIterationsAndResumesWithoutGaps() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = directory.appendingPathComponent("killed.sqlite")
    let writer = try WriterProcess(store: url, label: "victim", iterations: 200, episodes: 2000)
    try #require(writer.waitFor(line: "committed 2"))

    writer.kill()
    let ending = writer.finish()

    #expect(ending.signalled)
    let store = try Store(at: url)
    #expect(try store.integrityProblems().isEmpty)
    let run = try #require(try store.runs().first)
    let last = try #require(run.lastIteration)
    #expect(last >= 2 && last < 199)
    #expect(try Fixtures.count(store, "SELECT count(*) FROM iterations") == last + 1)
    #expect(try Self.incompleteIterations(store, run.id, episodes: 2000) == 0)
    #expect(try Fixtures.count(store, "SELECT count(*) FROM episodes") == (last + 1) * 2000)
    #expect(run.status == .running)
    #expect(
      try store.run(run.id, staleAfter: 0, now: Date().addingTimeInterval(1))?.status == .crashed)
    #expect(
      try store.markStaleRunsCrashed(staleAfter: 0, now: Date().addingTimeInterval(1)) == [run.id])

    let resumed = try WriterProcess(
      store: url, label: "victim", iterations: last + 4, episodes: 2000)
    let resumedEnding = resumed.finish()

    #expect(resumedEnding.status == 0, "\(resumedEnding.errors)")
    let finished = try #require(try store.run(run.id))
    #expect(finished.status == .done)
    #expect(finished.lastIteration == last + 3)
    #expect(
      try store.rows("SELECT iteration FROM iterations ORDER BY iteration").map {
        try $0.get("iteration", as: Int.self)
      } == Array(0...(last + 3)))
    #expect(try Self.incompleteIterations(store, run.id, episodes: 2000) == 0)
  }

  @Test func aReaderSeesCommittedRowsWhileAWriteTransactionIsOpen() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (writer, run, prompts) = try Fixtures.storeWithRun(in: directory)
    try writer.record(Fixtures.iteration(0, episodes: 10, prompts: prompts), of: run)
    let reader = try Store(at: writer.url, options: .readOnly)

    let seenInside = try writer.withConnection { connection throws(TrackingError) in
      try connection.transaction(.immediate) { () throws(TrackingError) in
        try connection.execute(
          """
          INSERT INTO iterations (run_id, iteration, kept_count, recorded_at)
          VALUES (\(run.rawValue), 1, 0, '2026-01-01T00:00:00.000Z')
          """)
        return try reader.rows("SELECT count(*) AS n FROM iterations").first?.get(
          "n", as: Int.self)
      }
    }

    #expect(seenInside == 1)
    #expect(try Fixtures.count(reader, "SELECT count(*) FROM iterations") == 2)
  }

  @Test func readersSeeOnlyWholeIterationsWhileAWriterProcessWrites() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = directory.appendingPathComponent("read.sqlite")
    let writer = try WriterProcess(store: url, label: "w", iterations: 30, episodes: 1000)
    try #require(writer.waitFor(line: "committed 0"))
    let reader = try Store(at: url, options: .readOnly)

    var snapshots: [(iterations: Int, episodes: Int)] = []
    repeat {
      let row = try #require(
        try reader.rows(
          "SELECT (SELECT count(*) FROM iterations) AS i, (SELECT count(*) FROM episodes) AS e"
        ).first)
      snapshots.append((try row.get("i"), try row.get("e")))
    } while writer.isRunning
    let ending = writer.finish()

    #expect(ending.status == 0, "\(ending.errors)")
    #expect(snapshots.allSatisfy { $0.episodes == $0.iterations * 1000 })
    #expect(zip(snapshots, snapshots.dropFirst()).allSatisfy { $0.iterations <= $1.iterations })
    #expect(try Fixtures.count(reader, "SELECT count(*) FROM episodes") == 30_000)
  }
}
