import Configuration
import Foundation
import Sweeps
import Testing
import TextData

@Suite struct SweepExpansionTests {
  /// A run as `name` without its hash, plus the listed keys' values.
  static func label(_ run: PlannedRun, _ keys: [String]) -> String {
    ([String(run.name.dropLast(9))] + keys.map { "\($0)=\(run.value(of: $0) ?? .null)" })
      .joined(separator: " ")
  }

  @Test(
    arguments: [
      (
        """
        name: per-algorithm
        task: imdb
        parameters:
          algorithm: {values: [rlhf, ra-rlhf]}
          risk.alpha: {values: [0.4, 0.2]}
          seed: {values: [1, 2]}
        """,
        [String](),
        [
          "imdb-rlhf-s1", "imdb-rlhf-s2", "imdb-ra-rlhf-a0.4-n5-r0.95-s1",
          "imdb-ra-rlhf-a0.4-n5-r0.95-s2", "imdb-ra-rlhf-a0.2-n5-r0.95-s1",
          "imdb-ra-rlhf-a0.2-n5-r0.95-s2",
        ]
      ),
      (
        """
        name: risk-axis-first
        task: jigsaw
        parameters:
          risk.alpha: {values: [0.4, 0.2]}
          algorithm: {values: [rlhf, ra-rlhf]}
        """,
        [],
        ["jigsaw-rlhf-s0", "jigsaw-ra-rlhf-a0.4-n5-r0.95-s0", "jigsaw-ra-rlhf-a0.2-n5-r0.95-s0"]
      ),
      (
        """
        name: include-exclude
        task: imdb
        parameters:
          algorithm: {value: ra-rlhf}
          risk.alpha: {values: [0.4, 0.2]}
          seed: {values: [1, 2]}
        exclude:
          - {risk.alpha: 0.2, seed: 2}
        include:
          - {risk.warm_start: 1, risk.alpha: 0.4}
          - {algorithm: rlhf, seed: 9}
        """,
        [],
        [
          "imdb-ra-rlhf-a0.4-n5-r0.95-s1", "imdb-ra-rlhf-a0.4-n5-r0.95-s2",
          "imdb-ra-rlhf-a0.2-n5-r0.95-s1", "imdb-ra-rlhf-a0.4-n1-r0.95-s1",
          "imdb-ra-rlhf-a0.4-n1-r0.95-s2", "imdb-rlhf-s9",
        ]
      ),
      (
        """
        name: overrides
        task: imdb
        preset: paper
        parameters:
          algorithm: {values: [rlhf, ra-rlhf]}
          risk.alpha: {values: [0.4, 0.2]}
          seed: {values: [1, 2, 3]}
        """,
        ["seed=2", "preset=tiny", "risk.rho=0.5"],
        ["imdb-rlhf-s2", "imdb-ra-rlhf-a0.4-n1-r0.5-s2", "imdb-ra-rlhf-a0.2-n1-r0.5-s2"]
      ),
      (
        """
        name: algorithm-from-override
        task: imdb
        parameters:
          risk.alpha: {values: [0.4, 0.2]}
        """,
        ["algorithm=ra-rlhf"],
        ["imdb-ra-rlhf-a0.4-n5-r0.95-s0", "imdb-ra-rlhf-a0.2-n5-r0.95-s0"]
      ),
      (
        """
        name: tasks-and-learning-rates
        parameters:
          task: {values: [imdb, realtoxicityprompts]}
          ppo.learning_rate: {values: [1.41e-5, 1e-4]}
          ppo.ppo_epochs: {value: 2}
        """,
        [],
        [
          "imdb-rlhf-s0 ppo.learning_rate=1.41e-05 ppo.ppo_epochs=2",
          "imdb-rlhf-s0 ppo.learning_rate=0.0001 ppo.ppo_epochs=2",
          "realtoxicityprompts-rlhf-s0 ppo.learning_rate=1.41e-05 ppo.ppo_epochs=2",
          "realtoxicityprompts-rlhf-s0 ppo.learning_rate=0.0001 ppo.ppo_epochs=2",
        ]
      ),
      (
        """
        name: random
        task: imdb
        preset: tiny
        method: random
        count: 2
        seed: 7
        parameters:
          ppo.learning_rate: {values: [1e-5, 3e-5, 1e-4, 3e-4, 1e-3]}
          seed: {values: [1, 2]}
        """,
        [],
        // SplitMix64(7) draws indices 1 and 2 of 5 (checked with an independent
        // Python implementation of the same partial Fisher–Yates shuffle).
        [
          "imdb-rlhf-s1 ppo.learning_rate=3e-05", "imdb-rlhf-s2 ppo.learning_rate=3e-05",
          "imdb-rlhf-s1 ppo.learning_rate=0.0001", "imdb-rlhf-s2 ppo.learning_rate=0.0001",
        ]
      ),
    ] as [(String, [String], [String])])
  func expandsToTheExactRuns(text: String, overrides: [String], expected: [String]) throws {
    let sweep = try Sweep(text: text, file: "s.yaml")
    let plan = try sweep.plan(overrides: overrides, availablePrompts: [.imdb: 25_000])
    let keys = ["ppo.learning_rate", "ppo.ppo_epochs"].filter { text.contains($0) }
    #expect(plan.runs.map { Self.label($0, keys) } == expected)
    #expect(Set(plan.runs.map(\.identity)).count == plan.runs.count)
  }

  @Test func randomSweepsDependOnlyOnTheirSeed() throws {
    func drawn(_ seed: Int) throws -> [Double] {
      let text = """
        name: r
        task: imdb
        method: random
        count: 3
        seed: \(seed)
        parameters:
          ppo.learning_rate: {values: [1e-5, 2e-5, 3e-5, 4e-5, 5e-5, 6e-5, 7e-5, 8e-5]}
        """
      return try Sweep(text: text, file: "r.yaml").plan().runs.map {
        $0.configuration.ppo.learningRate
      }
    }
    let first = try drawn(1)
    #expect(first.count == 3 && Set(first).count == 3)
    #expect(first == first.sorted())
    #expect(try drawn(1) == first)
    let others = try (2...6).map { try drawn($0) }
    #expect(others.contains { $0 != first })
  }

  @Test func distributionsDrawEveryConfigurationIndependently() throws {
    let text = """
      name: distributions
      task: imdb
      preset: tiny
      method: random
      count: 20
      seed: 11
      parameters:
        algorithm: {value: ra-rlhf}
        ppo.learning_rate: {distribution: log_uniform_values, min: 1e-5, max: 1e-3}
        risk.alpha: {distribution: uniform, min: 0.1, max: 0.5}
        ppo.ppo_epochs: {distribution: int_uniform, min: 1, max: 4}
        risk.rho: {values: [0.5, 0.95]}
        seed: {values: [1, 2]}
      """
    let plan = try Sweep(text: text, file: "d.yaml").plan()
    #expect(plan.runs.count == 40)
    let configurations = plan.runs.map(\.configuration)
    #expect(configurations.map(\.seed) == Array(repeating: [1, 2], count: 20).flatMap { $0 })
    let rates = configurations.map(\.ppo.learningRate)
    #expect(rates.allSatisfy { (1e-5...1e-3).contains($0) })
    // Log-uniform: about half the draws fall below the geometric middle 1e-4.
    #expect((6...14).contains(rates.enumerated().filter { $0.0 % 2 == 0 && $0.1 < 1e-4 }.count))
    #expect(configurations.map(\.risk.alpha).allSatisfy { (0.1...0.5).contains($0) })
    #expect(Set(configurations.map(\.ppo.ppoEpochs)) == [1, 2, 3, 4])
    #expect(Set(configurations.map(\.risk.rho)) == [0.5, 0.95])
    // Four significant digits at most.
    #expect(rates.allSatisfy { Double(String(format: "%.4g", $0)) == $0 })
    #expect(try Sweep(text: text, file: "d.yaml").plan() == plan)
  }

  @Test func includeOriginsAreRecorded() throws {
    let sweep = try Sweep(
      text: """
        name: origins
        task: imdb
        parameters:
          seed: {values: [1, 2]}
        include:
          - {seed: 5}
        """, file: "o.yaml")
    #expect(try sweep.plan().runs.map(\.origin) == [.grid, .grid, .include(0)])
  }

  @Test func dryRunListsTheVaryingKeys() throws {
    let sweep = try Sweep(
      text: """
        name: listing
        task: imdb
        parameters:
          algorithm: {values: [rlhf, ra-rlhf]}
          risk.alpha: {values: [0.4, 0.25]}
          seed: {values: [1]}
        """, file: "l.yaml")
    let plan = try sweep.plan()
    let hashes = plan.runs.map { String($0.identity.prefix(8)) }
    #expect(
      plan.description == """
        sweep 'listing' (l.yaml, grid): 3 runs
        #  algorithm  risk.alpha  name
        1  rlhf       -           imdb-rlhf-s1-\(hashes[0])
        2  ra-rlhf    0.4         imdb-ra-rlhf-a0.4-n5-r0.95-s1-\(hashes[1])
        3  ra-rlhf    0.25        imdb-ra-rlhf-a0.25-n5-r0.95-s1-\(hashes[2])
        """)
  }

  /// The shipped example sweeps, with the run count each comment promises.
  @Test(arguments: [
    ("default.yaml", 9), ("imdb.yaml", 6), ("jigsaw.yaml", 6), ("jigsaw-small.yaml", 9),
    ("realtoxicityprompts.yaml", 2), ("schedule-ablation.yaml", 12),
    ("learning-rate-search.yaml", 16),
  ])
  func shippedExperimentsParseAndExpand(file: String, runs: Int) throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("experiments/\(file)").path
    let sweep = try Sweep(fileAt: path)
    #expect(sweep.name == String(file.dropLast(5)))
    #expect(!sweep.text.isEmpty)
    // Fewer training prompts than each task is expected to have.
    let prompts: [TaskName: Int] = [.imdb: 24_000, .jigsaw: 7_000, .realtoxicityprompts: 1_200]
    let plan = try sweep.plan(availablePrompts: prompts)
    #expect(plan.runs.count == runs)
    // tiny has M = 4, so a file's n = 30 must be overridden too.
    let tiny = try sweep.plan(
      overrides: ["preset=tiny", "risk.warm_start=1"], availablePrompts: prompts)
    #expect(tiny.runs.allSatisfy { $0.configuration.preset == .tiny })
  }

  @Test func everyFileInExperimentsParsesAndExpands() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("experiments")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(files.count >= 6)
    let prompts: [TaskName: Int] = [.imdb: 24_000, .jigsaw: 7_000, .realtoxicityprompts: 1_200]
    for file in files {
      let sweep = try Sweep(fileAt: folder.appendingPathComponent(file).path)
      #expect(try !sweep.plan(availablePrompts: prompts).runs.isEmpty, "\(file)")
    }
  }

  @Test func scheduleAblationHasTableThreeRows() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("experiments/schedule-ablation.yaml").path
    let plan = try Sweep(fileAt: path).plan(availablePrompts: [.imdb: 24_895])
    let rows = Set(
      plan.runs.map {
        "\($0.configuration.risk.warmStart) \($0.configuration.risk.alpha) "
          + "\($0.configuration.risk.rho)"
      })
    #expect(rows == ["1 0.4 0.95", "30 0.4 0.95", "30 0.3 0.95", "30 0.2 0.95"])
    #expect(plan.runs.allSatisfy { $0.configuration.algorithm == .raRLHF })
  }
}
