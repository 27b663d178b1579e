import Foundation
import Testing

@testable import Tracking

/// Several stores of one process on one file, with another process writing.
@Suite("Stores sharing a file within a process")
struct SharedFileTests {
  /// A second store on a file this process has open must not drop the first
  /// one's locks: were they dropped, the writer process below would believe
  /// it held the last connection and delete the WAL on exit, leaving the
  /// first store reading a stale one.
  @Test func aSecondStoreOnAnOpenFileKeepsTheFirstOnesLocks() throws {
    let url = try Fixtures.temporaryDirectory().appendingPathComponent("t.sqlite")
    let first = try Store(at: url)
    #expect(try first.runs().isEmpty)
    do {
      let second = try Store(at: url)
      #expect(try second.runs().isEmpty)
    }

    let writer = try WriterProcess(store: url, label: "other", iterations: 2, episodes: 10)
    let outcome = writer.finish()
    #expect(outcome.status == 0, "\(outcome.errors)")

    #expect(FileManager.default.fileExists(atPath: url.path + "-wal"))
    #expect(try first.runs().map(\.spec.name) == ["other"])
    #expect(try first.integrityProblems().isEmpty)
  }

  @Test func theRegistryCountsConnectionsPerFile() throws {
    let url = try Fixtures.temporaryDirectory().appendingPathComponent("t.sqlite")
    #expect(!OpenDatabaseFiles.isOpen(url.path))
    var first: Store? = try Store(at: url)
    let second = try Store(at: url, options: .readOnly)
    #expect(OpenDatabaseFiles.isOpen(url.path))
    first = nil
    #expect(OpenDatabaseFiles.isOpen(url.path))
    _ = second
  }
}
