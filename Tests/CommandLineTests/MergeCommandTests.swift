import Foundation
import Testing
import Tracking

/// `rarlhf db merge`: shards written by `rarlhf run --db FILE` (stand-in
/// engine) merged into one database, twice.
@Suite struct MergeCommandTests {
  static func count(_ store: Store, _ sql: String) throws -> Int {
    let row = try #require(try store.rows(sql).first)
    return try row.get("n", as: Int.self)
  }

  @Test func mergingTwoShardsTwiceAddsEachRowOnce() throws {
    let sweep = try SweepHarness()
    let engine = SweepHarness.engine(delay: 0)
    for seed in [1, 2] {
      let outcome = try sweep.run(
        ["run", "task=imdb", "preset=tiny", "seed=\(seed)", "--db", "shard\(seed).sqlite"],
        environment: engine)
      #expect(outcome.status == 0, "\(outcome.stderr)")
    }
    var iterations = 0
    for seed in [1, 2] {
      let url = sweep.folder.appendingPathComponent("shard\(seed).sqlite")
      let shard = try Store(at: url, options: .readOnly)
      iterations += try Self.count(shard, "SELECT count(*) AS n FROM iterations")
    }
    #expect(iterations == 8)  // 4 iterations of the tiny preset in each shard

    let merge = ["db", "merge", "shard1.sqlite", "shard2.sqlite", "--db", "main.sqlite"]
    let first = try sweep.run(merge, environment: [:])
    let second = try sweep.run(merge, environment: [:])

    #expect(first.status == 0, "\(first.stderr)")
    #expect(
      first.stdout
        == "shard1.sqlite: 1 new run, 4 iterations, 0 episodes, 0 evaluation metrics added\n"
        + "shard2.sqlite: 1 new run, 4 iterations, 0 episodes, 0 evaluation metrics added\n")
    #expect(second.status == 0)
    #expect(
      second.stdout
        == "shard1.sqlite: 0 new runs, 0 iterations, 0 episodes, 0 evaluation metrics added\n"
        + "shard2.sqlite: 0 new runs, 0 iterations, 0 episodes, 0 evaluation metrics added\n")
    let main = try Store(
      at: sweep.folder.appendingPathComponent("main.sqlite"), options: .readOnly)
    #expect(try Self.count(main, "SELECT count(*) AS n FROM runs") == 2)
    #expect(try Self.count(main, "SELECT count(DISTINCT identity) AS n FROM runs") == 2)
    #expect(try Self.count(main, "SELECT count(*) AS n FROM iterations") == iterations)
    #expect(
      try Self.count(
        main, "SELECT count(*) AS n FROM (SELECT DISTINCT run_id, iteration FROM iterations)")
        == iterations)
    #expect(try Self.count(main, "SELECT count(*) AS n FROM iteration_stats") == iterations)
    #expect(
      try Self.count(main, "SELECT count(*) AS n FROM runs WHERE status = 'done'") == 2)
  }

  @Test func mergingTheDatabaseIntoItselfIsBadUsage() throws {
    let sweep = try SweepHarness()
    let outcome = try sweep.run(
      ["db", "merge", "main.sqlite", "--db", "main.sqlite"], environment: [:])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.hasPrefix("error: "))
    #expect(outcome.stderr.contains("main.sqlite"))
  }

  @Test func aMissingShardIsNamedAndNothingIsMerged() throws {
    let sweep = try SweepHarness()
    let outcome = try sweep.run(
      ["db", "merge", "nowhere.sqlite", "--db", "main.sqlite"], environment: [:])
    #expect(outcome.status == 64)
    #expect(outcome.stderr == "error: no shard at 'nowhere.sqlite'\n")
  }
}
