import Foundation
import Testing

@Suite struct UsageTests {
  @Test func helpGoesToStdoutWithStatusZero() throws {
    let outcome = try Rarlhf.run(["--help"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.contains("usage: rarlhf <command> [options]"))
    #expect(outcome.stdout.contains("sweep"))
    #expect(outcome.stderr.isEmpty)
  }

  @Test(arguments: [
    ["sweep", "--help"], ["sweep", "run", "--help"], ["sweep", "status", "--help"],
    ["sweep", "resume", "--help"], ["run", "--help"], ["report", "--help"],
    ["data", "check", "--help"], ["data", "fetch", "--help"], ["db", "info", "--help"],
    ["db", "export", "--help"],
  ])
  func everyCommandHasHelp(arguments: [String]) throws {
    let outcome = try Rarlhf.run(arguments)
    let command = arguments.dropLast().joined(separator: " ")
    #expect(outcome.status == 0)
    #expect(outcome.stdout.contains("usage: rarlhf \(command)"))
  }

  @Test func versionIsPrinted() throws {
    let outcome = try Rarlhf.run(["--version"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("rarlhf "))
  }

  @Test(arguments: [
    (
      ["sweep", "runn", "x.yaml"],
      "error: unknown command 'runn' for 'rarlhf sweep' "
        + "(did you mean 'run'? expected: run, resume, status)\n"
        + "usage: rarlhf sweep <command> [options]\n"
    ),
    (
      ["report", "--tabels", "md", "s"],
      "error: unknown option '--tabels' (did you mean '--tables'?)\n"
        + "usage: rarlhf report [options] SWEEP...\n"
    ),
    (
      [],
      "error: 'rarlhf' needs a command (expected: sweep, run, report, data, db)\n"
        + "usage: rarlhf <command> [options]\n"
    ),
  ])
  func badUsageExitsWith64AndUsage(arguments: [String], stderr: String) throws {
    let outcome = try Rarlhf.run(arguments)
    #expect(outcome.status == 64)
    #expect(outcome.stderr == stderr)
    #expect(outcome.stdout.isEmpty)
  }
}
