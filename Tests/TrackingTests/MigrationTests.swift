import Foundation
import Testing

@testable import Tracking

@Suite("Migrations")
struct MigrationTests {
  /// A hypothetical version 2 that adds a column and an index.
  static let version2 = Schema.Migration(
    version: 2,
    sql: """
      ALTER TABLE runs ADD COLUMN note TEXT;
      CREATE INDEX runs_by_task ON runs (task);
      """)

  @Test func openingAnOlderFileUpgradesItAndKeepsItsRows() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = directory.appendingPathComponent("store.sqlite")
    do {
      let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
      try store.record(Fixtures.iteration(0, episodes: 5, prompts: prompts), of: run)
    }

    let upgraded = try Store(
      at: url, options: Store.Options(), migrations: Schema.migrations + [Self.version2])

    #expect(try upgraded.schemaVersion() == 2)
    #expect(try Fixtures.count(upgraded, "SELECT count(*) FROM episodes") == 5)
    let note = try #require(try upgraded.rows("SELECT note FROM runs").first)
    #expect(note.values == [.null])
  }

  @Test func aFileNewerThanThisBuildIsRefusedNamingBothVersions() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = directory.appendingPathComponent("s.sqlite")
    _ = try Store(
      at: url, options: Store.Options(), migrations: Schema.migrations + [Self.version2])

    let refused = TrackingError.newerSchema(path: url.path, fileVersion: 2, supportedVersion: 1)
    #expect(throws: refused) { try Store(at: url) }
    #expect(refused.description.contains(url.path))
    #expect(refused.description.contains("schema version 2 is newer"))
    #expect(refused.description.contains("up to 1"))
  }

  @Test func aDatabaseWithOtherTablesIsNotTakenOver() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = directory.appendingPathComponent("other.sqlite")
    do {
      let connection = try Connection(path: url.path)
      try connection.execute("CREATE TABLE notes (body TEXT)")
    }

    #expect(throws: TrackingError.foreignDatabase(path: url.path, tables: ["notes"])) {
      try Store(at: url)
    }
    let connection = try Connection(path: url.path, access: .readOnly)
    #expect(try connection.scalar("PRAGMA user_version") == .integer(0))
  }

  @Test func aReadOnlyOpenOfAnOlderFileDoesNotUpgradeIt() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = directory.appendingPathComponent("s.sqlite")
    _ = try Store(at: url)

    #expect(throws: TrackingError.self) {
      try Store(
        at: url, options: .readOnly, migrations: Schema.migrations + [Self.version2])
    }
    #expect(try Store(at: url, options: .readOnly).schemaVersion() == 1)
  }
}
