import Foundation
import Testing
import Tracking

/// Bad input exits 64 with a message that says what is wrong, and
/// commands that only read never create a database.
@Suite struct BadInputTests {
  @Test func aMissingDataDirectoryExits64AndWritesNothing() throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(
      ["run", "--data", "/nonexistent/data", "task=imdb", "preset=tiny"],
      environment: [:])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("--data /nonexistent/data"))
    #expect(!FileManager.default.fileExists(atPath: sweep.database.path))
  }

  @Test func anUnknownIdentityExits64() throws {
    let sweep = try SweepHarness(seeds: [1])
    let missing = try sweep.run(["run", "--identity", "deadbeef"])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("no run with identity 'deadbeef'"))
    #expect(!FileManager.default.fileExists(atPath: sweep.database.path))
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    let unknown = try sweep.run(["run", "--identity", "deadbeef"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("no run with identity 'deadbeef'"))
  }

  @Test func reportOfAnUnknownSweepExits64AndSuggestsARecordedOne() throws {
    let sweep = try SweepHarness(seeds: [1])
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    let outcome = try sweep.run(["report", "dmeo", "--out", "out"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("no sweep named 'dmeo'"))
    #expect(outcome.stderr.contains("did you mean 'demo'"))
    #expect(
      !FileManager.default.fileExists(
        atPath: sweep.folder.appendingPathComponent("out").path))
  }

  @Test(arguments: [
    ["sweep", "resume", "nosuchsweep"], ["sweep", "status"], ["report", "demo"],
    ["db", "info"], ["db", "export", "--csv"],
  ])
  func aCommandThatOnlyReadsCreatesNoDatabase(arguments: [String]) throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(arguments)
    #expect(outcome.status != 0)
    #expect(outcome.stderr.contains("no database at '"))
    #expect(outcome.stderr.contains("runs/rarlhf.sqlite'"))
    let runs = sweep.folder.appendingPathComponent("runs")
    #expect(!FileManager.default.fileExists(atPath: runs.path))
  }
}
