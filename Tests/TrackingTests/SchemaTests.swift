import Foundation
import Testing

@testable import Tracking

@Suite("Schema")
struct SchemaTests {
  /// The package root, found from this file's path.
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The tables and columns of the schema table in docs/ARCHITECTURE.md:
  /// backticked names in the columns cell, parenthesised notes dropped.
  static func documentedColumns() throws -> [String: [String]] {
    let doc = try String(
      contentsOf: packageRoot.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
    let section = try #require(doc.components(separatedBy: "## Database schema").last)
    var tables: [String: [String]] = [:]
    for line in section.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      let table = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      var columnsCell = cells[2]
      while let open = columnsCell.firstIndex(of: "("),
        let close = columnsCell[open...].firstIndex(of: ")")
      {
        columnsCell.removeSubrange(open...close)
      }
      tables[table] = columnsCell.split(separator: ",").map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: "` "))
      }
    }
    return tables
  }

  @Test func everyDocumentedTableHasExactlyTheDocumentedColumns() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))
    let documented = try Self.documentedColumns()

    #expect(documented.keys.sorted() == Store.tables.sorted())
    for (table, columns) in documented {
      let actual = try store.rows("SELECT name FROM pragma_table_info(?)", [.text(table)])
        .map { row in try row.get("name", as: String.self) }
      #expect(actual == columns, "table \(table)")
    }
  }

  @Test func newStoreIsAtTheCurrentVersionInWALMode() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))

    #expect(try store.schemaVersion() == 1)
    #expect(Schema.currentVersion == 1)
    #expect(try store.rows("PRAGMA journal_mode").first?.values == [.text("wal")])
    #expect(try store.rows("PRAGMA foreign_keys").first?.values == [.integer(1)])
    #expect(try store.integrityProblems().isEmpty)
  }

  @Test func recordsReadBackAsWritten() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let store = try Store(at: directory.appendingPathComponent("s.sqlite"))
    let start = Date(timeIntervalSince1970: 1_790_000_000.25)
    let sweep = try store.recordSweep(named: "imdb-alpha", specText: "task: imdb\n", at: start)
    let spec = Fixtures.spec("alpha-0.4")
    let run = try store.register(spec, in: sweep, at: start)
    let prompts = try store.upsert(prompts: Fixtures.prompts(3))
    try store.setStatus(.running, of: run, at: start)
    try store.record(Fixtures.iteration(0, episodes: 6, prompts: prompts), of: run, at: start)
    try store.record(
      Provenance(
        gitCommit: "abc123", gitDirty: true, swiftVersion: "6.3.1", blasThreads: 2,
        dataChecksums: ["imdb/a.tar.gz": "ff"]), of: run)
    let artifact = try store.record(
      ArtifactRecord(kind: "checkpoint", contentHash: "cafe", path: "ckpt/a", bytes: 42))
    try store.link(artifact, to: run, role: "output")

    let record = try #require(try store.run(run))
    #expect(record.spec == spec)
    #expect(record.status == .running)
    #expect(record.startedAt == start)
    #expect(record.heartbeatAt == start)
    #expect(record.lastIteration == 0)
    #expect(try store.runIDs(in: sweep) == [run])
    let sweepRow = try #require(try store.rows("SELECT * FROM sweeps").first)
    #expect(try sweepRow.get("spec_hash", as: String.self).count == 64)
    #expect(try sweepRow.get("created_at", as: String.self) == "2026-09-21T14:13:20.250Z")
    let stats = try store.rows(
      "SELECT name, value FROM iteration_stats WHERE run_id = ? ORDER BY name", [run.sqlValue])
    #expect(
      try stats.map { try $0.get("name", as: String.self) } == [
        "env/reward_mean", "objective/kl", "ppo/loss/policy", "time/ppo/total",
      ])
    #expect(try stats[2].get("value", as: Double.self) == -0.125)
    let episode = try #require(
      try store.rows(
        "SELECT * FROM episode_texts WHERE iteration = 0 AND position = 4"
      ).first)
    #expect(try episode.get("prompt_text", as: String.self) == "This film, \"number 1\", was")
    #expect(try episode.get("completion", as: String.self) == "it=0 pos=4 great, \"really\"\nfun")
    #expect(try episode.get("reward", as: Double.self) == 0.4)
    #expect(try episode.get("return", as: Double.self) == 3)
    #expect(try episode.get("in_tail", as: Bool.self) == false)
    #expect(try episode.get("judge_reward", as: Double?.self) == nil)
    let provenance = try #require(try store.rows("SELECT * FROM provenance").first)
    #expect(try provenance.get("git_dirty", as: Bool.self))
    #expect(
      try provenance.get("data_checksums_json", as: String.self) == "{\"imdb/a.tar.gz\":\"ff\"}")
    #expect(
      try Fixtures.count(
        store, "SELECT count(*) FROM run_artifacts WHERE role = 'output' AND artifact_id = ?",
        [artifact.sqlValue]) == 1)
  }

  @Test func typedReadsNameTheColumnAndTheTypeWanted() throws {
    let row = Row(columns: ["name", "alpha"], values: [.text("a"), .null])

    #expect(try row.get("alpha", as: Double?.self) == nil)
    #expect(throws: TrackingError.typeMismatch(column: "name", value: "'a'", expected: "Int")) {
      try row.get("name", as: Int.self)
    }
    #expect(throws: TrackingError.unknownColumn(name: "beta", available: ["name", "alpha"])) {
      try row.get("beta", as: Double.self)
    }
  }
}
