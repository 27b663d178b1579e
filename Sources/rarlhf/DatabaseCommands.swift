import ArgumentParsing
import Foundation
import Tracking

/// `rarlhf db info` and `rarlhf db export --csv`.
struct DatabaseCommands {
  let parsed: ParsedCommand
  let console: Console

  /// The database named by `--db`, or the default `runs/rarlhf.sqlite`.
  static func databaseURL(_ parsed: ParsedCommand) -> URL {
    URL(fileURLWithPath: parsed.value("db") ?? "runs/rarlhf.sqlite")
  }

  /// Opens an existing database read-only; a missing file is an error that
  /// names it rather than an empty new database.
  static func openExisting(_ parsed: ParsedCommand) throws -> Store {
    let url = databaseURL(parsed)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw CommandError.failed(
        "no database at '\(url.path)' (run a sweep first, or give --db FILE)")
    }
    return try Store(at: url, options: .readOnly)
  }

  func info() throws {
    let store = try Self.openExisting(parsed)
    console.result(try store.info(staleAfter: RunLiveness.staleAfter).description)
  }

  func export() throws {
    guard parsed.flag("csv") else {
      throw UsageError.missingArgument("--csv (the export format)")
    }
    let store = try Self.openExisting(parsed)
    let folder = URL(fileURLWithPath: parsed.value("out") ?? ".")
    for url in try store.exportCSV(toDirectory: folder) {
      console.result(url.path)
    }
  }
}

/// How long a running run may stay silent before it counts as crashed.
enum RunLiveness {
  /// Seconds without a heartbeat after which a `running` run is `crashed`;
  /// runs send one at least every iteration and every 30 s.
  static let staleAfter: TimeInterval = 180
}
