import Foundation
import Testing

/// Where `rarlhf` writes and how much: `--quiet`, `--verbose`, and plain
/// progress lines when stderr is not a terminal (a pipe here).
@Suite struct OutputTests {
  static let sweepRun = ["sweep", "run", "s.yaml", "--jobs", "1"]

  /// Lines of the form `0/2 done, ...`, the sweep's progress line.
  static func progressLines(_ text: String) -> [Substring] {
    text.split(separator: "\n").filter {
      $0.wholeMatch(of: /\d+\/\d+ done.*/) != nil
    }
  }

  /// Iterations slow enough for the pool's one-second progress ticks.
  static let slowEngine = SweepHarness.engine(delay: 0.4)

  @Test func progressToAPipeIsPlainLinesAtMostEveryTenSeconds() throws {
    let sweep = try SweepHarness(seeds: [1])
    let start = Date()
    let outcome = try sweep.run(Self.sweepRun, environment: Self.slowEngine)
    let elapsed = Date().timeIntervalSince(start)
    #expect(outcome.status == 0)
    let lines = Self.progressLines(outcome.stderr)
    #expect(!lines.isEmpty)
    #expect(Double(lines.count) <= elapsed / 10 + 1)
    #expect(!outcome.stderr.contains("\r"))
    #expect(!outcome.stderr.contains("\u{1B}["))
    #expect(outcome.stderr.contains("done: imdb-rlhf-s1-"))
    #expect(!outcome.stderr.contains("started "))
  }

  @Test func quietLeavesOnlyResultsOnStdout() throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(Self.sweepRun + ["--quiet"], environment: Self.slowEngine)
    #expect(outcome.status == 0)
    #expect(outcome.stderr == "")
    #expect(outcome.stdout == "sweep 'demo': 2 done, 0 failed, 0 stopped\n")
  }

  @Test func verboseAddsTheStartOfEachRun() throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(Self.sweepRun + ["--verbose"], environment: Self.slowEngine)
    #expect(outcome.status == 0)
    let started = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("started ") }
    #expect(started.count == 2)
    #expect(!Self.progressLines(outcome.stderr).isEmpty)
  }

  @Test func aDryRunWithoutDataWarnsThatIterationsAreUnknown() throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(
      ["sweep", "run", "s.yaml", "--dry-run", "--data", "/nonexistent/data"],
      environment: [:])
    #expect(outcome.status == 0)
    #expect(outcome.stderr.hasPrefix("warning: "))
    #expect(outcome.stderr.contains("/nonexistent/data"))
    #expect(outcome.stdout.hasPrefix("sweep 'demo' (s.yaml, grid): 2 runs\n"))
    let quiet = try sweep.run(
      ["sweep", "run", "s.yaml", "--dry-run", "--data", "/nonexistent/data", "-q"],
      environment: [:])
    #expect(quiet.stderr == "")
  }
}
