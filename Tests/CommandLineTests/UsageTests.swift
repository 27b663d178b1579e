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

  @Test func runHelpListsEveryKeyWithItsRangeAndPresetDefaults() throws {
    let outcome = try Rarlhf.run(["run", "--help"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.contains("configuration keys (defaults for task=imdb; "))
    #expect(
      outcome.stdout.contains(
        "\nrisk.alpha (α) [ra-rlhf only]: risk level: final kept fraction"))
    #expect(outcome.stdout.contains("\n    float, (0, 1]; default 0.4\n"))
    #expect(
      outcome.stdout.contains(
        "\n    int, integers ≥ 0; default tiny 1, small 5, paper 30, gpt2 30\n"))
    #expect(outcome.stdout.contains("\n    choice, tiny, small, paper, gpt2; default small\n"))
    #expect(outcome.stdout.contains("\nppo.learning_rate"))
  }

  @Test func runHelpShowsTheDefaultsOfTheTaskGiven() throws {
    let outcome = try Rarlhf.run(["run", "task=realtoxicityprompts", "--help"])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.contains("(defaults for task=realtoxicityprompts; "))
    let bad = try Rarlhf.run(["run", "task=imbd", "--help"])
    #expect(bad.status == 64)
    #expect(bad.stderr.hasPrefix("error: unknown task 'imbd'"))
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

/// A key given twice among the `key=value` words is refused before
/// anything is written, by both commands that take them.
@Suite struct RepeatedKeyTests {
  @Test(arguments: [
    ["run", "task=imdb", "task=jigsaw", "preset=tiny"],
    ["sweep", "run", "s.yaml", "seed=1", "preset=tiny", "seed=2"],
  ])
  func aKeyGivenTwiceExits64NamingBothValues(arguments: [String]) throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(arguments)
    #expect(outcome.status == 64)
    let repeated = arguments.filter { $0.contains("=") && !$0.hasPrefix("preset") }
    let key = try #require(repeated.first?.split(separator: "=").first)
    #expect(outcome.stderr.contains("key '\(key)' is given twice"))
    #expect(repeated.allSatisfy { outcome.stderr.contains("'\($0)'") })
    #expect(!FileManager.default.fileExists(atPath: sweep.database.path))
  }
}
