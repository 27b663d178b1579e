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
    case ["sweep", "run"]:
      try SweepCommands(parsed: parsed, console: console).run()
    case ["sweep", "resume"]:
      try SweepCommands(parsed: parsed, console: console).resume()
    case ["sweep", "status"]:
      try SweepCommands(parsed: parsed, console: console).status()
    case ["run"]:
      try RunCommand(parsed: parsed, console: console).run()
    case ["report"]:
      try ReportCommand(parsed: parsed, console: console).run()
    case ["data", "check"]:
      try DataCommands(parsed: parsed, console: console).check()
    case ["data", "fetch"]:
      try DataCommands(parsed: parsed, console: console).fetch()
    case ["db", "info"]:
      try DatabaseCommands(parsed: parsed, console: console).info()
    case ["db", "merge"]:
      try DatabaseCommands(parsed: parsed, console: console).merge()
    case ["db", "export"]:
      try DatabaseCommands(parsed: parsed, console: console).export()
    default:
      throw CommandError.failed("no handler for '\(parsed.path.joined(separator: " "))'")
    }
  }
}
