import Foundation
import Testing
import Tracking

@testable import Reports

/// Runs are seeds of one configuration only when every setting but the
/// seed is equal; configurations of one algorithm and schedule get labels
/// naming the settings that tell them apart.
@Suite struct RunGroupingTests {
  /// Three seeds per settings, reward `base + seed` for seeds 1…3.
  static func runs(
    _ algorithm: Algorithm, settings: [[String: String]], rewards: [Double],
    task: String = "imdb", firstID: Int64 = 1
  ) -> [RunSummary] {
    zip(settings, rewards).enumerated().flatMap { index, pair in
      (1...3).map { seed in
        let id = firstID + Int64(index * 3 + seed - 1)
        return RunSummary(
          id: id, name: "run-\(id)", task: task, algorithm: algorithm, seed: seed,
          metrics: ["reward": pair.1 + Double(seed)], settings: pair.0)
      }
    }
  }

  /// A store holding `runs`, each with the `config_json` a run records.
  static func store(
    _ runs: [RunSummary], json: (RunSummary) -> String = FixtureStore.configJSON(of:)
  ) throws -> Store {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-grouping-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = try Store(at: directory.appendingPathComponent("tracking.sqlite"))
    let sweep = try store.recordSweep(named: "grouping", specText: "runs: grouping")
    for run in runs {
      let spec = RunSpec(
        identity: String(format: "%064x", run.id), name: run.name, task: run.task,
        algorithm: RunSpec.Algorithm(rawValue: run.algorithm.rawValue) ?? .rlhf,
        preset: run.settings["preset"] ?? "tiny", seed: run.seed,
        configJSON: json(run))
      let id = try store.register(spec, in: sweep)
      try store.setStatus(.running, of: id)
      try store.record(evaluationMetrics: run.metrics, of: id, on: "test")
      try store.setStatus(.done, of: id)
    }
    return store
  }

  /// The main table's model labels with the reward estimate of each.
  static func rewards(_ data: ReportData) throws -> [(String, Estimate)] {
    let table = PaperTables.main(data, metrics: [.reward])
    return try table.rows.map { row in
      guard case .text(let label) = row[0], case .estimate(let estimate) = row[1] else {
        throw CocoaError(.coderInvalidValue)
      }
      return (label, estimate)
    }
  }

  @Test func learningRatesAreNotPooledAsSeeds() throws {
    let runs = Self.runs(
      .rlhf, settings: [["ppo.learning_rate": "0.0001"], ["ppo.learning_rate": "2e-05"]],
      rewards: [10, 20])
    let data = try ReportData(store: try Self.store(runs), sweeps: ["grouping"])
    let rows = try Self.rewards(data)
    #expect(rows.map(\.0) == ["RLHF (ppo.learning_rate=2e-05)", "RLHF (ppo.learning_rate=0.0001)"])
    #expect(rows.map(\.1.count) == [3, 3])
    #expect(rows.map(\.1.mean) == [22, 12])
    #expect(rows.map(\.1.standardDeviation) == [1, 1])
  }

  @Test func presetsAreNotPooledAndNameOnlyThePreset() throws {
    // A preset changes many defaults; the label names the preset alone.
    let tiny = ["preset": "tiny", "ppo.learning_rate": "0.0001", "model.d_model": "64"]
    let small = ["preset": "small", "ppo.learning_rate": "0.0005", "model.d_model": "128"]
    let stages = [
      ["preset": "small", "stage_key": "aaaa"], ["preset": "tiny", "stage_key": "bbbb"],
    ]
    let runs =
      Self.runs(.rlhf, settings: [tiny, small], rewards: [0, 100])
      + Self.runs(.base, settings: stages, rewards: [-10, -20], firstID: 7)
    let data = try ReportData(store: try Self.store(runs), sweeps: ["grouping"])
    let rows = try Self.rewards(data)
    #expect(
      rows.map(\.0) == [
        "Base (preset=small)", "Base (preset=tiny)", "RLHF (preset=small)",
        "RLHF (preset=tiny)",
      ])
    #expect(rows.map(\.1.count) == [3, 3, 3, 3])
    #expect(rows.map(\.1.mean) == [-8, -18, 102, 2])
  }

  @Test func oneConfigurationPerScheduleKeepsThePlainLabel() throws {
    let settings = ["preset": "tiny", "ppo.learning_rate": "0.0001"]
    let runs =
      Self.runs(.rlhf, settings: [settings], rewards: [0])
      + Self.runs(.rlhf, settings: [settings], rewards: [5], task: "jigsaw", firstID: 4)
    let data = try ReportData(store: try Self.store(runs), sweeps: ["grouping"])
    let table = PaperTables.main(data, metrics: [.reward])
    #expect(table.rows.count == 1)
    guard case .text(let label) = table.rows[0][0] else { throw CocoaError(.coderInvalidValue) }
    #expect(label == "RLHF")
    #expect(table.rows[0][1].comparable == 2)
    #expect(table.rows[0][2].comparable == 7)
  }

  @Test func figureKeysUseTheTableLabels() throws {
    let runs = Self.runs(
      .rlhf, settings: [["ppo.learning_rate": "0.0001"], ["ppo.learning_rate": "2e-05"]],
      rewards: [10, 20])
    var curves: [Int64: [String: [CurvePoint]]] = [:]
    for run in runs {
      curves[run.id] = [
        "env/reward_mean": (0..<3).map {
          CurvePoint(iteration: $0, value: Double(run.id) + Double($0))
        }
      ]
    }
    let data = ReportData(sweeps: ["grouping"], runs: runs, curves: curves)
    let figure = try #require(
      PaperFigures.trainingCurve(data, task: "imdb", statistic: "env/reward_mean"))
    let series = try #require(figure.panels.first).series
    #expect(
      series.map(\.title) == ["RLHF (ppo.learning_rate=2e-05)", "RLHF (ppo.learning_rate=0.0001)"])
    #expect(
      series.map(\.colour) == [
        Algorithm.rlhf.colour, PaperFigures.shade(of: Algorithm.rlhf.colour, variant: 1),
      ])
    #expect(series.map(\.dash) == [1, 2])
  }

  @Test func configurationThatIsNotAFlatObjectIsRefused() throws {
    let run = RunSummary(id: 1, name: "run-1", task: "imdb", algorithm: .rlhf, seed: 1)
    let store = try Self.store([run]) { _ in "[1, 2]" }
    #expect(
      throws: ReportError.invalidConfiguration(
        runID: 1, reason: "config_json is not a JSON object of scalars")
    ) {
      try ReportData(store: store, sweeps: ["grouping"])
    }
  }
}
