import Foundation
import Tracking

/// A sweep's records in the tracking store: the sweep with its spec text,
/// its runs registered before any starts, and what is left to run.
public struct SweepLedger: Sendable {
  /// The store the sweep is recorded in.
  public let store: Store

  /// The ledger of `store`.
  public init(store: Store) {
    self.store = store
  }

  // MARK: - Planning

  /// What to do with each run of `plan`, given what the store holds.
  ///
  /// Runs found `running` with a heartbeat older than `staleAfter` seconds
  /// are first marked crashed, so they resume; runs running elsewhere with a
  /// fresh heartbeat are left to their process.
  ///
  /// - Throws: `SweepError.settingsChanged` unless `force`, as
  ///   `ResumePlan(plan:recorded:sweepRuns:force:)`; `.store` when the store
  ///   cannot be read or written.
  public func resumePlan(
    for plan: SweepPlan, force: Bool, staleAfter: TimeInterval
  ) throws(SweepError) -> ResumePlan {
    let (recorded, sweepRuns) = try storing {
      () throws(TrackingError) -> ([RecordedRun], [RecordedRun]) in
      try store.markStaleRunsCrashed(staleAfter: staleAfter)
      return try recordedRuns(of: plan)
    }
    return try ResumePlan(
      plan: plan, recorded: recorded, sweepRuns: sweepRuns, force: force)
  }

  /// The cells of `plan` recorded before with other settings: those a
  /// start without `force` refuses. Only reads the store (a dry run's
  /// check, on a read-only store).
  ///
  /// - Throws: `SweepError.store` when the store cannot be read.
  public func changedCells(
    of plan: SweepPlan
  ) throws(SweepError) -> [ResumePlan.Change] {
    let (recorded, sweepRuns) = try storing { () throws(TrackingError) in
      try recordedRuns(of: plan)
    }
    return try ResumePlan(
      plan: plan, recorded: recorded, sweepRuns: sweepRuns, force: true
    ).changes
  }

  /// The stored runs whose identity `plan` has, and the RLHF and RA-RLHF
  /// runs recorded for its sweep name.
  private func recordedRuns(
    of plan: SweepPlan
  ) throws(TrackingError) -> (recorded: [RecordedRun], sweep: [RecordedRun]) {
    var recorded: [RecordedRun] = []
    for run in plan.runs {
      if let record = try store.run(identity: run.identity) {
        recorded.append(RecordedRun(record))
      }
    }
    guard let sweep = try sweepID(named: plan.sweepName) else {
      return (recorded, [])
    }
    return (recorded, try policyRuns(in: sweep))
  }

  /// The plan of the recorded sweep `name`, from its runs' stored
  /// configurations, after marking stale running runs crashed.
  ///
  /// - Throws: `SweepError.unknownSweep` naming the recorded sweeps;
  ///   `.unreadableRecordedRun`, `.recordedRunChanged`; `.store`.
  public func recordedPlan(
    named name: String, staleAfter: TimeInterval
  ) throws(SweepError) -> SweepPlan {
    let runs = try storing { () throws(TrackingError) -> [RecordedRun]? in
      try store.markStaleRunsCrashed(staleAfter: staleAfter)
      guard let sweep = try sweepID(named: name) else { return nil }
      return try policyRuns(in: sweep)
    }
    guard let runs else {
      throw .unknownSweep(name, known: try sweepNames())
    }
    return try SweepPlan(recordedSweep: name, runs: runs)
  }

  // MARK: - Recording

  /// Records the sweep (its spec text and hash) and registers every run of
  /// `plan` in it, each with its configuration JSON, before any starts.
  ///
  /// - Parameters:
  ///   - plan: the runs.
  ///   - specText: the sweep file's text, with the overrides appended as
  ///     comments, or nil to leave a recorded sweep's text as it is.
  ///   - iterationsPlanned: M of a run, when known.
  /// - Returns: the id of each run, by identity.
  public func record(
    _ plan: SweepPlan, specText: String?,
    iterationsPlanned: (PlannedRun) -> Int?
  ) throws(SweepError) -> [String: RunID] {
    try storing { () throws(TrackingError) in
      let sweep =
        if let specText {
          try store.recordSweep(named: plan.sweepName, specText: specText)
        } else {
          try sweepID(named: plan.sweepName)
        }
      var ids: [String: RunID] = [:]
      for run in plan.runs {
        let spec = run.configuration.runSpec(
          iterationsPlanned: iterationsPlanned(run))
        ids[run.identity] = try store.register(spec, in: sweep)
      }
      return ids
    }
  }

  /// Unlinks from `plan`'s sweep the runs whose cells `resume` found
  /// recorded with other settings (a start with `force`), and its base and
  /// SFT evaluation runs, which may have been made with the old settings:
  /// the sweep's status, resume and report then cover its new settings
  /// only, while the old runs and their records stay in the store. Preparing
  /// the shared stages links the base and SFT runs of the new settings
  /// (`lacksStageRuns`).
  public func unlinkSuperseded(
    _ resume: ResumePlan, of plan: SweepPlan
  ) throws(SweepError) {
    guard !resume.changes.isEmpty else { return }
    try storing { () throws(TrackingError) in
      guard let sweep = try sweepID(named: plan.sweepName) else { return }
      let stageRuns = try store.runs(in: sweep).filter {
        [.base, .sft].contains($0.spec.algorithm)
      }
      let identities = resume.changes.map(\.previous.identity) + stageRuns.map(\.spec.identity)
      for identity in identities {
        try store.remove(identity: identity, from: sweep)
      }
    }
  }

  // MARK: - Stage evaluation runs

  /// Whether `plan`'s sweep has fewer finished base (or SFT) evaluation
  /// runs linked to it than its runs have groups of shared stages. A sweep
  /// whose runs another sweep ran has none: preparing its stages links them
  /// (`RunDriver.evaluateStageModels` evaluates only what is not done).
  public func lacksStageRuns(_ plan: SweepPlan) throws(SweepError) -> Bool {
    let groups = Set(plan.runs.map { SweepRunner.stageGroup(of: $0.configuration) }).count
    return try storing { () throws(TrackingError) in
      guard let sweep = try sweepID(named: plan.sweepName) else { return groups > 0 }
      let done = try store.runs(in: sweep).filter { $0.status == .done }
      return [RunSpec.Algorithm.base, .sft].contains { algorithm in
        done.filter { $0.spec.algorithm == algorithm }.count < groups
      }
    }
  }

  /// Sends a heartbeat for the base and SFT evaluation runs that are
  /// running and started at or after `since` (by this process: a
  /// shared-stage process), which record no iterations of their own.
  public func heartbeatStageRuns(startedSince since: Date) {
    try? updateStageRuns(
      set: "heartbeat_at = ?1", [.text(StoreTime.text(Date()))], since: since)
  }

  /// Records the base and SFT evaluation runs that are running and started
  /// at or after `since` as interrupted with `reason`, for a shared-stage
  /// process that is asked to stop.
  public func interruptStageRuns(startedSince since: Date, reason: String) {
    try? updateStageRuns(
      set: "status = 'interrupted', finished_at = ?1, error = ?3",
      [.text(StoreTime.text(Date())), .text(reason)], since: since)
  }

  /// Updates running base and SFT runs started at or after `since`; `?1`
  /// and `?3` in `assignments` are the first and second of `values`.
  private func updateStageRuns(
    set assignments: String, _ values: [SQLValue], since: Date
  ) throws {
    try store.withConnection { connection throws(TrackingError) in
      try connection.transaction(.immediate) { () throws(TrackingError) in
        try connection.prepare(
          """
          UPDATE runs SET \(assignments)
          WHERE status = 'running' AND algorithm IN ('base', 'sft')
            AND started_at >= ?2
          """
        ).run(
          [values[0], .text(StoreTime.text(since))] + values.dropFirst())
      }
    }
  }

  // MARK: - Reading

  /// The id of the sweep called `name`, or nil.
  public func sweepID(named name: String) throws(TrackingError) -> SweepID? {
    let rows = try store.rows(
      "SELECT id FROM sweeps WHERE name = ?", [.text(name)])
    guard let row = rows.first else { return nil }
    return SweepID(rawValue: try row.get("id"))
  }

  /// The names of the recorded sweeps, in the order they were recorded.
  public func sweepNames() throws(SweepError) -> [String] {
    try storing { () throws(TrackingError) in
      var names: [String] = []
      for row in try store.rows("SELECT name FROM sweeps ORDER BY id") {
        names.append(try row.get("name"))
      }
      return names
    }
  }

  /// The runs of the sweep `name` with their status (stale running runs
  /// reported as crashed) and the latest value of `statistic` of each run
  /// (nil when none is recorded), by run id.
  ///
  /// - Throws: `SweepError.unknownSweep`; `.store`.
  public func runs(
    ofSweep name: String, statistic: String, staleAfter: TimeInterval
  ) throws(SweepError) -> [(run: RunRecord, latest: Double?)] {
    let found = try storing {
      () throws(TrackingError) -> [(RunRecord, Double?)]? in
      guard let id = try sweepID(named: name) else { return nil }
      let latest = try store.rows(
        """
        SELECT s.run_id, s.value FROM iteration_stats AS s
        JOIN sweep_runs AS m ON m.run_id = s.run_id AND m.sweep_id = ?
        WHERE s.name = ? AND s.iteration =
          (SELECT max(t.iteration) FROM iteration_stats AS t
           WHERE t.run_id = s.run_id AND t.name = s.name)
        """, [.integer(id.rawValue), .text(statistic)])
      var values: [Int64: Double] = [:]
      for row in latest {
        values[try row.get("run_id")] = try row.get("value", as: Double?.self)
      }
      return try store.runs(in: id, staleAfter: staleAfter).map {
        ($0, values[$0.id.rawValue] ?? nil)
      }
    }
    guard let found else {
      throw .unknownSweep(name, known: try sweepNames())
    }
    return found.map { (run: $0.0, latest: $0.1) }
  }

  /// The RLHF and RA-RLHF runs of `sweep`: the runs a plan has. The base
  /// and SFT evaluation runs the shared stages add are left out.
  private func policyRuns(
    in sweep: SweepID
  ) throws(TrackingError) -> [RecordedRun] {
    try store.runs(in: sweep).filter {
      $0.spec.algorithm == .rlhf || $0.spec.algorithm == .raRLHF
    }.map(RecordedRun.init)
  }

  /// Runs `body`, turning store errors into `SweepError.store`.
  private func storing<Result>(
    _ body: () throws(TrackingError) -> Result
  ) throws(SweepError) -> Result {
    do {
      return try body()
    } catch {
      throw .store(error)
    }
  }
}
