import Configuration

/// Plans rebuilt from the store, for `rarlhf sweep resume NAME`, which has
/// the runs of a sweep but not the file and overrides that made them.
extension SweepPlan {
  /// The plan of a recorded sweep: its runs, in the order given, each read
  /// back from its canonical configuration JSON.
  ///
  /// - Parameters:
  ///   - name: the sweep's name.
  ///   - runs: the runs the store links to the sweep.
  /// - Throws: `SweepError.unreadableRecordedRun` when a configuration
  ///   cannot be read, `.recordedRunChanged` when it reads back to another
  ///   identity (written by a version with other keys or defaults).
  public init(recordedSweep name: String, runs: [RecordedRun])
    throws(SweepError)
  {
    var planned: [PlannedRun] = []
    for run in runs {
      let configuration: RunConfiguration
      do {
        configuration = try RunConfiguration(canonicalJSON: run.configJSON)
      } catch {
        throw .unreadableRecordedRun(name: run.name, error)
      }
      let plannedRun = PlannedRun(
        configuration: configuration, origin: .recorded)
      guard plannedRun.identity == run.identity else {
        throw .recordedRunChanged(
          name: run.name, recorded: run.identity, now: plannedRun.identity)
      }
      planned.append(plannedRun)
    }
    self.init(
      sweepName: name, file: "recorded sweep '\(name)'", method: .grid,
      runs: planned)
  }
}
