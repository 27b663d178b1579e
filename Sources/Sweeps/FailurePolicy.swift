/// What a sweep does with its other runs when one fails.
public enum FailurePolicy: Sendable, Equatable {
  /// The other runs continue; the sweep reports every failure at the end.
  case keepGoing
  /// The sweep starts no more runs and stops the running ones (they are
  /// recorded as interrupted) at the first failure.
  case failFast
}
