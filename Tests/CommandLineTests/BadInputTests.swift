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

  /// Overwrites two pages in the middle of the database at `url` (after
  /// moving the write-ahead log into it) with a fixed pattern.
  static func damage(_ url: URL) throws {
    _ = try Store(at: url).rows("PRAGMA wal_checkpoint(TRUNCATE)")
    let handle = try FileHandle(forUpdating: url)
    defer { try? handle.close() }
    let size = try handle.seekToEnd()
    let page: UInt64 = 4096
    #expect(size >= 8 * page, "a store of \(size) bytes")
    try handle.seek(toOffset: (size / page / 2) * page)
    handle.write(Data(repeating: 0xAB, count: 2 * Int(page)))
  }

  @Test func aDamagedDatabaseIsRefusedBeforeAnythingIsWrittenToIt() throws {
    let sweep = try SweepHarness()
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    try Self.damage(sweep.database)
    let before = try Data(contentsOf: sweep.database)
    for arguments in [
      ["sweep", "run", "s.yaml", "--name", "other"], ["sweep", "status"],
      ["run", "task=imdb", "preset=tiny", "seed=9"],
    ] {
      let outcome = try sweep.run(arguments)
      #expect(outcome.status == 1, "\(arguments)")
      #expect(
        outcome.stderr.contains("\(sweep.database.path): the database is truncated or corrupt"))
      #expect(outcome.stderr.contains("nothing was written to it"))
    }
    #expect(try Data(contentsOf: sweep.database) == before)
  }

  @Test func aDamagedShardIsNamedAndNothingIsMerged() throws {
    let sweep = try SweepHarness()
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    try Self.damage(sweep.database)
    let outcome = try sweep.run(["db", "merge", sweep.database.path, "--db", "main.sqlite"])
    #expect(outcome.status == 1)
    #expect(outcome.stderr.contains("\(sweep.database.path): the database is truncated or corrupt"))
    let main = try Store(
      at: sweep.folder.appendingPathComponent("main.sqlite"), options: .readOnly)
    #expect(try main.runs().isEmpty)
  }

  @Test func aReportIntoAFolderThatCannotBeWrittenSaysWhich() throws {
    let sweep = try SweepHarness(seeds: [1])
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    let outcome = try sweep.run(["report", "demo", "--out", "/proc/rarlhf-report"])
    #expect(outcome.status == 1)
    #expect(outcome.stderr.hasPrefix("error: cannot write '/proc/rarlhf-report/"))
    #expect(!outcome.stderr.contains("Error Domain"))
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
