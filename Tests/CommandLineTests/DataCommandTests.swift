import Foundation
import Testing

/// The shared data directory the tests read: `$RARLHF_DATA`, else
/// `../shared/data` beside the package.
let sharedData: String =
  ProcessInfo.processInfo.environment["RARLHF_DATA"]
  ?? URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()
  .appendingPathComponent("shared/data").path

@Suite struct DataCommandTests {
  @Test func checkCountsTheSharedDataAndFindsEveryTaskReady() throws {
    let outcome = try Rarlhf.run(["data", "check", sharedData])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.stdout.contains("7708 comments (3854 toxic)"))
    #expect(outcome.stdout.contains("matches SHA256SUMS"))
    #expect(outcome.stdout.contains("tasks ready: imdb, jigsaw, realtoxicityprompts"))
    // The shared data has no GPT-2 weights; only preset gpt2 needs them.
    #expect(
      outcome.stdout.contains(
        "optional models/gpt2/model.safetensors is not there: preset=gpt2 needs it"))
  }

  @Test func theDataOptionAndTheEnvironmentAreHonoured() throws {
    let byOption = try Rarlhf.run(["data", "check", "--data", sharedData])
    #expect(byOption.status == 0)
    let byEnvironment = try Rarlhf.run(
      ["data", "check"], in: FileManager.default.temporaryDirectory,
      environment: ["RARLHF_DATA": sharedData])
    #expect(byEnvironment.status == 0)
    #expect(byEnvironment.stdout.hasPrefix("data directory: \(sharedData)"))
  }

  @Test func aMissingDirectoryListsTheExpectedFilesAndHowToGetThem() throws {
    let outcome = try Rarlhf.run(["data", "check", "/nonexistent/data"])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.hasPrefix("error: no data directory found"))
    #expect(outcome.stderr.contains("jigsaw/test.csv"))
    #expect(outcome.stderr.contains("rarlhf data fetch"))
  }

  @Test func anIncompleteDirectoryNamesWhatIsMissing() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("jigsaw"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: sharedData + "/jigsaw/test.csv",
      toPath: folder.appendingPathComponent("jigsaw/test.csv").path)
    let weights = folder.appendingPathComponent("models/gpt2/model.safetensors")
    try FileManager.default.createDirectory(
      at: weights.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(repeating: 7, count: 1234).write(to: weights)
    let outcome = try Rarlhf.run(["data", "check", folder.path])
    #expect(outcome.status == 1)
    #expect(
      outcome.stdout.contains(
        "ok       models/gpt2/model.safetensors  1234 bytes (read by preset=gpt2 only)"))
    #expect(outcome.stdout.contains("7708 comments"))
    #expect(outcome.stdout.contains("imdb/aclImdb_labeled.tar.gz"))
    #expect(outcome.stderr.hasPrefix("error: the data directory is incomplete"))
  }

  @Test func fetchOfflineSaysWhatFailedAndHowToPlaceFilesByHand() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-fetch-\(UUID().uuidString)")
    // A curl that cannot reach anything: the test never depends on the network.
    let outcome = try Rarlhf.run(
      ["data", "fetch", "--into", folder.path],
      environment: ["https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9"])
    #expect(outcome.status == 1)
    #expect(outcome.stdout.contains("FAILED"))
    #expect(outcome.stdout.contains("place these by hand"))
    let partials =
      FileManager.default.enumerator(atPath: folder.path)?
      .compactMap { $0 as? String }.filter { $0.hasSuffix(".part") } ?? []
    #expect(partials.isEmpty)
  }
}
