import ArgumentParsing
import Foundation

/// A failure caused by what the user gave (a malformed sweep file, an
/// impossible setting): reported like a usage error, with exit status 64.
struct UsageFailure: Error, CustomStringConvertible {
  let description: String
}

/// Runs the command selected on the command line.
struct Dispatcher {
  let parsed: ParsedCommand
  let console: Console

  func run() throws {
    switch parsed.path {
    case ["sweep", "run"], ["sweep", "resume"], ["sweep", "status"]:
      throw CommandError.notAvailable(
        command: parsed.path.joined(separator: " "),
        reason: "sweeps need the RLHF engine, which is not built yet")
    case ["run"]:
      throw CommandError.notAvailable(
        command: "run", reason: "the RLHF engine is not built yet")
    case ["report"]:
      try ReportCommand(parsed: parsed, console: console).run()
    case ["data", "check"]:
      try DataCommands(parsed: parsed, console: console).check()
    case ["data", "fetch"]:
      try DataCommands(parsed: parsed, console: console).fetch()
    case ["db", "info"]:
      try DatabaseCommands(parsed: parsed, console: console).info()
    case ["db", "export"]:
      try DatabaseCommands(parsed: parsed, console: console).export()
    default:
      throw CommandError.failed("no handler for '\(parsed.path.joined(separator: " "))'")
    }
  }
}
