import Configuration
import Foundation
import Models
import Testing
import Tracking

@testable import RLHF

@Suite struct ResumeTests {
  struct Interruption: Error {}

  /// The tiny synthetic RA-RLHF setup with its 32 prompts and the first 16
  /// again, so one pass is M = 48 / 8 = 6 iterations, checkpointing every 2.
  static func setup(store: Store) throws -> (RunPipeline, RunID) {
    var (configuration, inputs) = try RunPipelineTests.tinySetup(store: store)
    inputs.trainPrompts += inputs.trainPrompts.prefix(16)
    inputs.trainPromptIDs += inputs.trainPromptIDs.prefix(16)
    configuration.ppo.checkpointEvery = 2
    let pipeline = try RunPipeline(configuration: configuration, inputs: inputs)
    return (pipeline, try RunPipelineTests.register(configuration, in: store, planned: 6))
  }

  /// Every training episode's reward, KL and return, by iteration and
  /// position, and each iteration's β.
  static func episodes(_ store: Store, _ run: RunID) throws -> [[Double]] {
    let rows = try store.rows(
      """
      SELECT e.reward, e.kl, e."return", s.value AS beta FROM episodes e
      JOIN iteration_stats s ON s.run_id = e.run_id AND s.iteration = e.iteration
        AND s.name = 'objective/kl_coef'
      WHERE e.run_id = ? AND e.phase = 'train' ORDER BY e.iteration, e.position
      """, [run.sqlValue])
    return try rows.map { row in
      try ["reward", "kl", "return", "beta"].map { try row.get($0, as: Double.self) }
    }
  }

  /// Train 6 iterations; separately train, stop after iteration 2 (the
  /// newest checkpoint is after iteration 1, so iteration 2 is in the store
  /// but not in a checkpoint), resume: the same episodes, β and weights.
  @Test func resumedRunMatchesAnUninterruptedOne() throws {
    let folder = try RunPipelineTests.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let whole = try Store(at: folder.appendingPathComponent("whole.sqlite"))
    let (pipeline, wholeRun) = try Self.setup(store: whole)
    let stages = try pipeline.trainStages()
    let wholeModel = try pipeline.trainPolicy(
      stages: stages, store: whole, run: wholeRun,
      checkpoints: RunCheckpoints(root: folder.appendingPathComponent("a"), identity: "a"))

    let store = try Store(at: folder.appendingPathComponent("resumed.sqlite"))
    let (_, run) = try Self.setup(store: store)
    let checkpoints = RunCheckpoints(root: folder.appendingPathComponent("b"), identity: "b")
    #expect(throws: Interruption.self) {
      _ = try pipeline.trainPolicy(
        stages: stages, store: store, run: run, checkpoints: checkpoints
      ) { if $0.iteration == 2 { throw Interruption() } }
    }
    #expect(try store.lastIteration(of: run) == 2)
    #expect(checkpoints.iterations() == [1])

    var resumedFrom: [Int] = []
    let model = try pipeline.trainPolicy(
      stages: stages, store: store, run: run, checkpoints: checkpoints
    ) { resumedFrom.append($0.iteration) }

    #expect(resumedFrom == [2, 3, 4, 5])
    #expect(try store.lastIteration(of: run) == 5)
    let expected = try Self.episodes(whole, wholeRun)
    #expect(expected.count == 6 * 8)
    #expect(try Self.episodes(store, run) == expected)
    for (a, b) in zip(model.parameters, wholeModel.parameters) {
      #expect(a.value == b.value, "\(a.name)")
    }
    #expect(checkpoints.iterations() == [3, 5])  // the newest two
    let roles = try store.rows(
      "SELECT count(*) AS n FROM run_artifacts WHERE run_id = ? AND role = 'policy'",
      [run.sqlValue])
    #expect(try roles.first?.get("n", as: Int.self) == 3)  // after iterations 1, 3 and 5
  }
}
