import Configuration
import Foundation
import Sweeps
import Testing

@Suite struct ResumePlanTests {
  static func plan(learningRate: String = "1e-4", alphas: String = "[0.4, 0.2]") throws
    -> SweepPlan
  {
    try Sweep(
      text: """
        name: resume
        task: imdb
        preset: tiny
        parameters:
          algorithm: {values: [rlhf, ra-rlhf]}
          risk.alpha: {values: \(alphas)}
          ppo.learning_rate: {value: \(learningRate)}
          seed: {values: [1, 2]}
        """, file: "r.yaml"
    ).plan()
  }

  static func recorded(_ run: PlannedRun, _ status: RecordedRun.Status) -> RecordedRun {
    RecordedRun(
      identity: run.identity, name: run.name, status: status,
      configJSON: run.configuration.canonicalJSON)
  }

  @Test func unfinishedRunsResumeAndDoneRunsNeverRerun() throws {
    let plan = try Self.plan()
    let runs = plan.runs
    #expect(runs.count == 6)
    let stored = [
      Self.recorded(runs[0], .done), Self.recorded(runs[1], .failed),
      Self.recorded(runs[2], .running), Self.recorded(runs[3], .crashed),
      Self.recorded(runs[4], .interrupted),
    ]
    let resume = try ResumePlan(plan: plan, recorded: stored, sweepRuns: stored)
    #expect(
      resume.actions.map(\.action) == [
        .skipDone, .resume(.failed), .skipRunning, .resume(.crashed), .resume(.interrupted),
        .start,
      ])
    #expect(resume.runsToRun.map(\.identity) == [1, 3, 4, 5].map { runs[$0].identity })
    #expect(resume.changes.isEmpty && resume.dropped.isEmpty)
    #expect(
      resume.description
        == "6 runs: 1 new, 3 to resume (1 failed, 1 interrupted, 1 crashed), 1 done, "
        + "1 running elsewhere")
  }

  @Test func doneRunsOfOtherSweepsAreNotRerun() throws {
    let plan = try Self.plan()
    let elsewhere = Self.recorded(plan.runs[5], .done)
    let resume = try ResumePlan(plan: plan, recorded: [elsewhere], sweepRuns: [])
    #expect(resume.runsToRun.count == 5)
    #expect(resume.actions.last?.action == .skipDone)
  }

  @Test func changedSettingsAreRefusedUnlessForced() throws {
    let before = try Self.plan(learningRate: "1e-4")
    let stored = before.runs.prefix(2).map { Self.recorded($0, .done) }
    let after = try Self.plan(learningRate: "2e-4")
    let names = after.runs.map(\.name)
    #expect {
      try ResumePlan(plan: after, recorded: [], sweepRuns: stored)
    } throws: { error in
      "\(error)" == """
        sweep 'resume' was run before with other settings in 2 cells:
          \(names[0]): ppo.learning_rate: 0.0001 → 0.0002
          \(names[1]): ppo.learning_rate: 0.0001 → 0.0002
        to keep both, record these settings as another sweep with '--name NAME'; \
        to run them in 'resume', add '--force' (the old runs stay recorded)
        """
    }
    let forced = try ResumePlan(plan: after, recorded: [], sweepRuns: stored, force: true)
    #expect(forced.runsToRun.count == 6)
    #expect(forced.changes.map(\.planned.identity) == after.runs.prefix(2).map(\.identity))
    #expect(
      forced.changes.first?.differences == [
        ResumePlan.Difference(
          key: "ppo.learning_rate", old: .real(1e-4), new: .real(2e-4))
      ])
  }

  @Test func runsOfRemovedCellsAreReportedAsDropped() throws {
    let before = try Self.plan(alphas: "[0.4, 0.2]")
    let after = try Self.plan(alphas: "[0.4, 0.3]")
    // Runs 4 and 5 are α = 0.2, a cell the new plan does not have.
    let stored = before.runs.map { Self.recorded($0, .done) }
    let resume = try ResumePlan(plan: after, recorded: stored, sweepRuns: stored)
    #expect(resume.dropped.map(\.identity) == before.runs.suffix(2).map(\.identity))
    #expect(resume.changes.isEmpty)
    #expect(resume.runsToRun.map(\.configuration.risk.alpha) == [0.3, 0.3])
    #expect(resume.description == "6 runs: 2 new, 4 done, 2 recorded but no longer planned")
  }

  @Test func recordedSweepsResumeFromTheirStoredConfigurations() throws {
    let plan = try Self.plan()
    let stored = plan.runs.enumerated().map { index, run in
      Self.recorded(run, index < 2 ? .done : .failed)
    }
    let rebuilt = try SweepPlan(recordedSweep: "resume", runs: stored)
    #expect(rebuilt.runs.map(\.configuration) == plan.runs.map(\.configuration))
    #expect(rebuilt.runs.allSatisfy { $0.origin == .recorded })
    let resume = try ResumePlan(plan: rebuilt, recorded: stored, sweepRuns: stored)
    #expect(resume.runsToRun.map(\.identity) == plan.runs.dropFirst(2).map(\.identity))
  }

  @Test func recordedRunsThatNoLongerReadBackAreRefused() throws {
    let run = try Self.plan().runs[0]
    let json = run.configuration.canonicalJSON
    let renamed = RecordedRun(
      identity: run.identity, name: run.name, status: .failed,
      configJSON: json.replacingOccurrences(of: "\"ppo.lam\"", with: "\"ppo.lamda\""))
    let column = try #require(json.range(of: "\"ppo.lam\"")).lowerBound.utf16Offset(in: json) + 1
    #expect {
      try SweepPlan(recordedSweep: "old", runs: [renamed])
    } throws: { error in
      "\(error)"
        == "recorded run '\(run.name)': configuration JSON:1:\(column): "
        + "unknown key 'ppo.lamda' (did you mean 'ppo.lam'?)"
    }

    // A key added since the run was recorded (here ppo.top_k, recorded as
    // 5 by a version that lacked it) makes the read-back identity differ.
    var older = RunConfiguration.defaults(task: .imdb, preset: .tiny)
    older.ppo.topK = 5
    let withoutTopK = older.canonicalJSON.replacingOccurrences(
      of: ",\"ppo.top_k\":5", with: "")
    let changed = RecordedRun(
      identity: older.identity, name: older.name, status: .crashed, configJSON: withoutTopK)
    var now = older
    now.ppo.topK = 0
    #expect {
      try SweepPlan(recordedSweep: "old", runs: [changed])
    } throws: { error in
      "\(error)"
        == "recorded run '\(older.name)' has identity \(older.identity.prefix(12))… but its "
        + "configuration now reads as \(now.identity.prefix(12))… (recorded by a version "
        + "with other keys or defaults; run its sweep file again instead)"
    }
  }
}
