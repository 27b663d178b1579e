import Foundation
import Testing
import Tracking

@Suite struct DatabaseCommandTests {
  /// A temporary folder holding a store with one sweep, one run and one
  /// recorded iteration of two episodes.
  static func makeStore() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-db-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = try Store(at: folder.appendingPathComponent("t.sqlite"))
    let sweep = try store.recordSweep(named: "demo", specText: "name: demo\n")
    let run = try store.register(
      RunSpec(
        identity: String(repeating: "ab", count: 32), name: "imdb-rlhf-s1",
        task: "imdb", algorithm: .rlhf, preset: "tiny", seed: 1, configJSON: "{}"),
      in: sweep)
    let prompts = try store.upsert(prompts: [
      PromptRecord(task: "imdb", promptID: "p1", promptClass: "pos", text: "A film, \"so\" good")
    ])
    try store.record(
      IterationRecord(
        iteration: 0, keptCount: 2, statistics: ["env/reward_mean": 0.5],
        episodes: [
          EpisodeRecord(
            prompt: prompts[0], completion: "yes", reward: 1, responseLength: 1, inTail: true),
          EpisodeRecord(
            prompt: prompts[0], completion: "no", reward: 0, responseLength: 1, inTail: false),
        ]),
      of: run)
    return folder
  }

  @Test func infoCountsRunsAndRows() throws {
    let folder = try Self.makeStore()
    let outcome = try Rarlhf.run(["db", "info", "--db", folder.path + "/t.sqlite"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.contains("  pending: 1\n"))
    #expect(outcome.stdout.contains("  episodes: 2\n"))
    #expect(outcome.stdout.contains("  iteration_stats: 1\n"))
  }

  @Test func exportWritesOneCSVPerTableAndPrintsTheirPaths() throws {
    let folder = try Self.makeStore()
    let out = folder.appendingPathComponent("csv")
    let outcome = try Rarlhf.run([
      "db", "export", "--csv", "--db", folder.path + "/t.sqlite", "--out", out.path,
    ])
    #expect(outcome.status == 0)
    let paths = outcome.stdout.split(separator: "\n").map(String.init)
    #expect(paths.count == 3)
    let episodes = try String(
      contentsOf: out.appendingPathComponent("episodes.csv"), encoding: .utf8)
    #expect(episodes.contains("\"A film, \"\"so\"\" good\""))
    #expect(episodes.split(whereSeparator: \.isNewline).count == 3)
  }

  @Test func exportWithoutAFormatIsBadUsage() throws {
    let folder = try Self.makeStore()
    let outcome = try Rarlhf.run(["db", "export", "--db", folder.path + "/t.sqlite"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.hasPrefix("error: missing argument --csv"))
  }

  @Test func aMissingDatabaseIsNamed() throws {
    let outcome = try Rarlhf.run(["db", "info", "--db", "/nonexistent/x.sqlite"])
    #expect(outcome.status == 64)
    #expect(
      outcome.stderr
        == "error: no database at '/nonexistent/x.sqlite' (run a sweep first, or give --db FILE)\n"
    )
  }

  @Test func aFileThatIsNotADatabaseIsNamedAndLeftAlone() throws {
    let folder = try Self.makeStore()
    let bogus = folder.appendingPathComponent("notes.sqlite")
    try Data("not a database at all, just some words\n".utf8).write(to: bogus)
    let outcome = try Rarlhf.run(["db", "info", "--db", bogus.path])
    #expect(outcome.status == 1)
    #expect(outcome.stderr.hasPrefix("error: "))
    #expect(outcome.stderr.contains(bogus.path))
    #expect(try Data(contentsOf: bogus) == Data("not a database at all, just some words\n".utf8))
  }
}
