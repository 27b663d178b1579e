import Configuration

/// Planning of a sweep's resume.
extension ResumePlan {
  /// Decides what to do with each run of `plan`.
  ///
  /// A planned run is matched to the store by identity: unknown runs start;
  /// pending, failed, interrupted and crashed runs resume; done runs are
  /// never run again; running runs are left to their process (the store
  /// marks stale ones crashed before planning).
  ///
  /// A *cell* is a run's values on the keys that vary across the plan, plus
  /// task, algorithm and seed. A run recorded for this sweep whose identity
  /// is no longer planned but whose cell is, had other settings (the file or
  /// an override changed): that is refused unless `force`, which runs the
  /// new settings and leaves the old run in the store. Recorded runs whose
  /// cell is gone are reported in `dropped`.
  ///
  /// - Parameters:
  ///   - plan: the sweep's runs.
  ///   - recorded: every stored run whose identity is in the plan (from any
  ///     sweep), with its status.
  ///   - sweepRuns: the runs the store links to this sweep's name.
  ///   - force: run cells whose settings changed instead of refusing.
  /// - Throws: `SweepError.settingsChanged` listing each changed cell with
  ///   its differing keys, unless `force`.
  public init(
    plan: SweepPlan, recorded: [RecordedRun], sweepRuns: [RecordedRun],
    force: Bool = false
  ) throws(SweepError) {
    var byIdentity: [String: RecordedRun] = [:]
    for run in recorded { byIdentity[run.identity] = run }
    actions = plan.runs.map { run in
      switch byIdentity[run.identity]?.status {
      case nil: (run, .start)
      case .done: (run, .skipDone)
      case .running: (run, .skipRunning)
      case let status?: (run, .resume(status))
      }
    }

    let planned = Set(plan.runs.map(\.identity))
    let cellKeys =
      ["task", "algorithm", "seed"]
      + plan.varyingKeys.filter {
        !["task", "algorithm", "seed"].contains($0)
      }
    var byCell: [[ConfigurationValue?]: PlannedRun] = [:]
    for run in plan.runs { byCell[cellKeys.map { run.value(of: $0) }] = run }
    var changes: [Change] = []
    var dropped: [RecordedRun] = []
    for previous in sweepRuns where !planned.contains(previous.identity) {
      guard
        let configuration = try? RunConfiguration(
          canonicalJSON: previous.configJSON),
        let run = byCell[cellKeys.map { Self.value(of: $0, in: configuration) }]
      else {
        dropped.append(previous)
        continue
      }
      changes.append(
        Change(
          previous: previous, planned: run,
          differences: Self.differences(configuration, run.configuration)))
    }
    if !changes.isEmpty, !force {
      throw .settingsChanged(sweep: plan.sweepName, changes)
    }
    self.changes = changes
    self.dropped = dropped
  }

  private static func value(
    of name: String, in configuration: RunConfiguration
  ) -> ConfigurationValue? {
    guard let key = ConfigurationKey.named(name),
      key.applies(to: configuration.algorithm)
    else {
      return nil
    }
    return key.value(in: configuration)
  }

  private static func differences(
    _ old: RunConfiguration, _ new: RunConfiguration
  ) -> [Difference] {
    ConfigurationKey.all.compactMap { key in
      let before = value(of: key.name, in: old)
      let after = value(of: key.name, in: new)
      return before == after
        ? nil : Difference(key: key.name, old: before, new: after)
    }
  }
}
