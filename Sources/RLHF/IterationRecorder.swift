/// Receives each iteration's record; the `Tracking` adapter writes it in
/// one transaction.
public protocol IterationRecorder: AnyObject {
  /// Stores one iteration; throwing stops the run.
  func record(_ iteration: IterationResult) throws
}
