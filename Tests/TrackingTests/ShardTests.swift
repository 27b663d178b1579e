import Foundation
import Testing

@testable import Tracking

@Suite("Run shards")
struct ShardTests {
  /// Writes `iterations` iterations of the run `label` into its own shard.
  static func writeShard(
    _ label: String, iterations: Range<Int>, in directory: URL, sweep: String = "grid"
  ) throws -> URL {
    let spec = Fixtures.spec(label)
    let url = Store.shardURL(forRunIdentity: spec.identity, in: directory)
    let store = try Store(at: url)
    let sweepID = try store.recordSweep(named: sweep, specText: "seeds: [1, 2]")
    let prompts = try store.upsert(prompts: Fixtures.prompts(label == "b" ? 5 : 3))
    let run = try store.register(spec, in: sweepID)
    if try store.run(run)?.status != .running { try store.setStatus(.running, of: run) }
    for iteration in iterations {
      try store.record(Fixtures.iteration(iteration, episodes: 6, prompts: prompts), of: run)
    }
    try store.record(evaluationMetrics: ["reward_mean": 0.5], of: run, on: "test")
    return url
  }

  @Test func mergingShardsTwiceAddsEverythingOnce() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let shards = directory.appendingPathComponent("shards")
    try FileManager.default.createDirectory(at: shards, withIntermediateDirectories: true)
    _ = try Self.writeShard("a", iterations: 0..<3, in: shards)
    _ = try Self.writeShard("b", iterations: 0..<2, in: shards)
    let main = try Store(at: directory.appendingPathComponent("main.sqlite"))
    try main.upsert(prompts: [PromptRecord(task: "imdb", promptID: "other", text: "x")])

    let first = try main.mergeShards(in: shards)
    let second = try main.mergeShards(in: shards)

    #expect(first.shards == 2)
    #expect(first.runs == 2)
    #expect(first.iterations == 5)
    #expect(first.episodes == 30)
    #expect(first.evaluations == 2)
    #expect(second.runs == 0 && second.iterations == 0 && second.episodes == 0)
    #expect(second.evaluations == 0)
    #expect(try Fixtures.count(main, "SELECT count(*) FROM prompts") == 6)
    #expect(try Fixtures.count(main, "SELECT count(*) FROM iteration_stats") == 20)
    #expect(try Fixtures.count(main, "SELECT count(*) FROM sweeps") == 1)
    #expect(try Fixtures.count(main, "SELECT count(*) FROM sweep_runs") == 2)
    #expect(try main.integrityProblems().isEmpty)
    // Episode prompts were renumbered to the main store's prompt ids.
    let mismatched = try Fixtures.count(
      main,
      """
      SELECT count(*) FROM episode_texts
      WHERE completion NOT LIKE 'it=' || iteration || ' pos=' || position || ' %'
        OR prompt_id != 'train/pos/' || (position % CASE run_id WHEN
          (SELECT id FROM runs WHERE name = 'b') THEN 5 ELSE 3 END) || '_9.txt'
      """)
    #expect(mismatched == 0)
  }

  @Test func aShardThatProgressedAddsOnlyItsNewIterations() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let shard = try Self.writeShard("a", iterations: 0..<2, in: directory)
    let main = try Store(at: directory.appendingPathComponent("main.db"))
    try main.merge(shardAt: shard)

    _ = try Self.writeShard("a", iterations: 2..<4, in: directory)
    let later = try main.merge(shardAt: shard)

    #expect(later.runs == 0)
    #expect(later.iterations == 2)
    #expect(later.episodes == 12)
    let run = try #require(try main.run(identity: Fixtures.spec("a").identity))
    #expect(run.lastIteration == 3)
    #expect(run.status == .running)
  }

  @Test func aShardThatIsNotADatabaseIsRefusedByName() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let shard = directory.appendingPathComponent("run-bad.sqlite")
    try Data("not sqlite at all, just text".utf8).write(to: shard)
    let main = try Store(at: directory.appendingPathComponent("main.db"))

    #expect(throws: TrackingError.notADatabase(path: shard.path)) {
      try main.merge(shardAt: shard)
    }
  }

  @Test func aShardWithAnOlderSchemaIsUpgradedThenMerged() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let shard = try Self.writeShard("a", iterations: 0..<2, in: directory)
    let main = try Store(
      at: directory.appendingPathComponent("main.db"), options: Store.Options(),
      migrations: Schema.migrations + [MigrationTests.version2])

    let added = try main.merge(shardAt: shard)

    #expect(added.runs == 1)
    #expect(added.iterations == 2)
    let upgraded = try Store(at: shard, options: .readOnly, migrations: main.migrations)
    #expect(try upgraded.schemaVersion() == 2)
  }

  @Test func aShardWithANewerSchemaIsRefusedAsNewer() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let shard = try Self.writeShard("a", iterations: 0..<1, in: directory)
    _ = try Store(
      at: shard, options: Store.Options(),
      migrations: Schema.migrations + [MigrationTests.version2])
    let main = try Store(at: directory.appendingPathComponent("main.db"))

    #expect(
      throws: TrackingError.newerSchema(
        path: shard.path, fileVersion: 2, supportedVersion: Schema.currentVersion)
    ) {
      try main.merge(shardAt: shard)
    }
    #expect(try Fixtures.count(main, "SELECT count(*) FROM runs") == 0)
  }
}
