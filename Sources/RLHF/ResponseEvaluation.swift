/// Per-token outputs of a policy with a value head on given responses.
public struct ResponseEvaluation: Sendable, Equatable {
  /// log π(aₜ | sₜ) of each response token, per episode (ragged).
  public var logProbs: [[Double]]
  /// V(sₜ), the value head at each response token, per episode (ragged).
  public var values: [[Double]]
  /// Entropy of the next-token distribution at each response token (nats),
  /// per episode (ragged), or nil if the policy does not report it.
  public var entropies: [[Double]]?

  /// Makes an evaluation.
  public init(logProbs: [[Double]], values: [[Double]], entropies: [[Double]]? = nil) {
    self.logProbs = logProbs
    self.values = values
    self.entropies = entropies
  }
}
