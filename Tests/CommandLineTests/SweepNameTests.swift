import Foundation
import Testing
import Tracking

/// `sweep run --name`, and what a start with changed settings says: the
/// quick check of a sweep file with an override, recorded apart, leaves
/// the real sweep free to run.
@Suite struct SweepNameTests {
  @Test func aQuickCheckUnderAnotherNameLeavesTheSweepFreeToRun() throws {
    let sweep = try SweepHarness(seeds: [1])
    let check = try sweep.run(
      ["sweep", "run", "s.yaml", "ppo.learning_rate=2e-4", "--name", "demo-check"])
    #expect(check.status == 0)
    #expect(check.stdout == "sweep 'demo-check': 2 done, 0 failed, 0 stopped\n")
    let real = try sweep.run(["sweep", "run", "s.yaml"])
    #expect(real.status == 0)
    #expect(real.stdout == "sweep 'demo': 2 done, 0 failed, 0 stopped\n")
    let store = try Store(at: sweep.database, options: .readOnly)
    let names = try store.rows("SELECT name FROM sweeps ORDER BY id").map {
      try $0.get("name", as: String.self)
    }
    #expect(names == ["demo-check", "demo"])
  }

  @Test(arguments: ["-demo", "demo/x", "dé"])
  func anInvalidNameIsRefused(name: String) throws {
    let sweep = try SweepHarness(seeds: [1])
    let outcome = try sweep.run(["sweep", "run", "s.yaml", "--name", name])
    #expect(outcome.status == 64)
    #expect(outcome.stderr.contains("'\(name)' for '--name'"))
    #expect(outcome.stderr.contains("starting with a letter or digit"))
    #expect(!FileManager.default.fileExists(atPath: sweep.database.path))
  }

  @Test func theRefusalShowsThreeCellsWithTheirChangedKeysAndTheWaysOn() throws {
    let sweep = try SweepHarness()
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    let changed = try sweep.run(["sweep", "run", "s.yaml", "preset=small"])
    #expect(changed.status == 64)
    let lines = changed.stderr.split(separator: "\n").map(String.init)
    #expect(
      lines.first
        == "error: sweep 'demo' was run before with other settings in 6 cells:")
    let examples = lines.filter { $0.hasPrefix("  imdb-") }
    #expect(examples.count == 3)
    #expect(examples.allSatisfy { $0.contains(": preset: tiny → small, ") })
    #expect(examples.allSatisfy { $0.count < 200 })
    #expect(lines.contains("  … and 3 more"))
    #expect(lines.last?.contains("'--name NAME'") == true)
    #expect(lines.last?.contains("'--force'") == true)
  }

  @Test func aDryRunWarnsThatTheStartWouldBeRefused() throws {
    let sweep = try SweepHarness(seeds: [1])
    #expect(try sweep.run(["sweep", "run", "s.yaml"]).status == 0)
    let dry = try sweep.run(
      ["sweep", "run", "s.yaml", "ppo.learning_rate=2e-4", "--dry-run"])
    #expect(dry.status == 0)
    #expect(
      dry.stderr.hasPrefix(
        "warning: the run would be refused: sweep 'demo' was run before"))
    #expect(dry.stderr.contains("ppo.learning_rate: 0.0001 → 0.0002"))
    #expect(dry.stdout.hasPrefix("sweep 'demo' (s.yaml, grid): 2 runs\n"))
    let renamed = try sweep.run(
      ["sweep", "run", "s.yaml", "ppo.learning_rate=2e-4", "--dry-run", "--name", "x"])
    #expect(!renamed.stderr.contains("warning:"))
    #expect(try sweep.statuses().count == 2)
  }
}
