/// The fixed inputs of the PPO loss for some rows of a `PPOBatch`; every
/// per-token array is `[rows.count, length]` row-major.
public struct PPOMinibatch: Sendable, Equatable {
  /// The episode indices these rows come from.
  public var rows: [Int]
  /// T, tokens per row.
  public var length: Int
  /// log π_old, `[b, T]`.
  public var oldLogProbs: [Double]
  /// Old values, `[b, T]`.
  public var values: [Double]
  /// Whitened advantages, `[b, T]`.
  public var advantages: [Double]
  /// Returns, `[b, T]`.
  public var returns: [Double]
  /// Training mask (kept response tokens), `[b, T]`.
  public var mask: [Double]

  /// Makes a minibatch from arrays the caller built.
  public init(
    rows: [Int], length: Int, oldLogProbs: [Double], values: [Double],
    advantages: [Double], returns: [Double], mask: [Double]
  ) {
    let count = rows.count * length
    precondition(
      [oldLogProbs, values, advantages, returns, mask].allSatisfy { $0.count == count },
      "minibatch arrays must have rows × length elements")
    self.rows = rows
    self.length = length
    self.oldLogProbs = oldLogProbs
    self.values = values
    self.advantages = advantages
    self.returns = returns
    self.mask = mask
  }
}
