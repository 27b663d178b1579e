import Tracking

/// Recorded runs read from the store.
extension RecordedRun {
  /// The resume planner's view of a stored run.
  public init(_ record: RunRecord) {
    let status: Status =
      switch record.status {
      case .pending: .pending
      case .running: .running
      case .done: .done
      case .failed: .failed
      case .interrupted: .interrupted
      case .crashed: .crashed
      }
    self.init(
      identity: record.spec.identity, name: record.spec.name, status: status,
      configJSON: record.spec.configJSON)
  }
}
