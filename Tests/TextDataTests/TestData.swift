import Foundation

@testable import TextData

/// Where the shared real data is for tests: `$RARLHF_DATA`, else
/// `../shared/data` relative to the package root.
enum TestData {
  static let directory: DataDirectory = {
    if let path = ProcessInfo.processInfo.environment["RARLHF_DATA"],
      !path.isEmpty
    {
      return DataDirectory(url: URL(fileURLWithPath: path))
    }
    let packageRoot = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return DataDirectory(
      url: packageRoot.appendingPathComponent("../shared/data"))
  }()

  /// GPT-2's tokenizer, loaded once for all tests.
  static let gpt2: BPETokenizer? = try? BPETokenizer.gpt2(in: directory)

  /// The IMDB reviews of the shared data, loaded once for all tests.
  static let imdb: Result<[IMDBReview], TextDataError> = Result {
    () throws(TextDataError) in try IMDBLoader.reviews(in: directory)
  }

  /// A fresh temporary folder.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("textdata-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes `bytes` to `name` in a fresh temporary folder.
  static func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
    let url = try temporaryFolder().appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url
  }

  /// Writes `text` to `name` in a fresh temporary folder.
  static func file(_ name: String, _ text: String) throws -> URL {
    try file(name, Array(text.utf8))
  }
}
