import ArgumentParsing
import Foundation
import TextData

/// `rarlhf data check [DIR]` and `rarlhf data fetch [--into DIR]`.
struct DataCommands {
  let parsed: ParsedCommand
  let console: Console

  /// The data directory: `DIR` or `--data`, else `$RARLHF_DATA`, `./data`,
  /// `../shared/data`; none there is a usage failure (exit 64).
  static func directory(_ parsed: ParsedCommand) throws -> DataDirectory {
    do {
      return try DataDirectory.resolve(
        explicit: parsed.positional("DIR") ?? parsed.value("data"))
    } catch {
      // A data directory that is not there is bad input, not a failure.
      throw UsageFailure(description: error.description)
    }
  }

  func check() throws {
    let report = try Self.directory(parsed).check()
    console.result(report.description)
    guard report.isHealthy else {
      throw CommandError.failed("the data directory is incomplete or damaged (see above)")
    }
  }

  func fetch() throws {
    let folder =
      parsed.value("into").map { URL(fileURLWithPath: $0) }
      ?? DataFetcher.defaultDirectory
    let report = DataFetcher().fetch(into: folder)
    console.result(report.description)
    guard report.succeeded else {
      throw CommandError.failed("some files could not be fetched (see above)")
    }
  }
}
