import Foundation
import Testing

/// Messages that say why, and counts in the singular for one.
@Suite struct WordingTests {
  @Test func aMissingSweepFileSaysWhy() throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(["sweep", "run", "nonexist.yaml"])
    #expect(outcome.status == 64)
    #expect(
      outcome.stderr
        == "error: nonexist.yaml: cannot read the file: no such file or directory\n")
  }

  @Test func oneShardIsCountedInTheSingular() throws {
    let sweep = try SweepHarness(seeds: [1])
    let run = ["run", "--db", "shard.sqlite", "task=imdb", "preset=tiny", "seed=1"]
    #expect(try sweep.run(run).status == 0)
    let merge = try sweep.run(["db", "merge", "shard.sqlite"], environment: [:])
    #expect(merge.status == 0)
    #expect(merge.stdout.hasPrefix("shard.sqlite: 1 new run, 4 iterations, "))
    #expect(merge.stderr.contains("merged 1 shard into "))
  }
}
