/// ∂L/∂log π and ∂L/∂V for each response token, per episode (ragged), to
/// be back-propagated through the network.
public struct ResponseGradient: Sendable, Equatable {
  /// ∂L/∂log π(aₜ | sₜ), per episode (ragged).
  public var logProbs: [[Double]]
  /// ∂L/∂V(sₜ), per episode (ragged).
  public var values: [[Double]]

  /// Makes a gradient.
  public init(logProbs: [[Double]], values: [[Double]]) {
    self.logProbs = logProbs
    self.values = values
  }
}
