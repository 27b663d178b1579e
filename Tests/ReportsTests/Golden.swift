import Foundation
import Testing

/// Golden files under `Tests/ReportsTests/Golden`, found next to this
/// source file.
///
/// Set `RARLHF_UPDATE_GOLDEN=1` to rewrite them from the current output;
/// review the diff before committing.
enum Golden {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Golden")

  /// Expects `actual` to equal the golden file `name`, byte for byte.
  static func expect(
    _ actual: String, matches name: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RARLHF_UPDATE_GOLDEN"] == "1" {
      try Data(actual.utf8).write(to: url)
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "differs from \(name)", sourceLocation: sourceLocation)
  }
}
