import Configuration

/// One iteration's rollouts turned into PPO training targets, in the order
/// of the authors' RA-RLHF code: KL-shaped rewards, GAE returns over the
/// whole batch, the risk selection, then advantages whitened over the kept
/// tokens only.
///
/// Paper: per-token reward (Sec. 3), CVaR objective approximated by keeping
/// the α′ lowest-return episodes (Sec. 4, Algorithm 1). Plain RLHF is the same
/// with α′ = B.
public struct PPOBatch: Sendable, Equatable {
  /// The batch shape B × T.
  public let grid: TokenGrid
  /// Reward-model score of each episode, `[B]`.
  public let scores: [Double]
  /// log π_old of each response token (the sampling policy), `[B, T]`.
  public let oldLogProbs: [Double]
  /// log π_ref of each response token, `[B, T]`.
  public let refLogProbs: [Double]
  /// The response mask before risk selection, `[B, T]`.
  public let responseMask: [Double]
  /// Shaped rewards and per-episode KL.
  public let shaped: ShapedRewards
  /// Old values with padding zeroed, `[B, T]`.
  public let values: [Double]
  /// Advantages whitened over the kept tokens, `[B, T]`.
  public let advantages: [Double]
  /// GAE returns (value targets), `[B, T]`.
  public let returns: [Double]
  /// The risk selection; its `mask` is the training mask.
  public let selection: RiskSelection
  /// β used to shape these rewards.
  public let coefficient: Double

  /// Prepares a batch.
  ///
  /// - Parameters:
  ///   - grid: the batch shape B × T.
  ///   - scores: reward-model score per episode, `[B]`.
  ///   - logProbs: log π_old per response token, `[B, T]` row-major.
  ///   - refLogProbs: log π_ref per response token, `[B, T]` row-major.
  ///   - values: value head per response token, `[B, T]` row-major.
  ///   - responseMask: 1 on generated tokens, `[B, T]` row-major.
  ///   - coefficient: β, the current KL coefficient.
  ///   - estimator: γ and λ.
  ///   - keptCount: α′ in 1…B; B for plain RLHF.
  ///   - ranking: what the tail is ranked by (`risk.ranking`).
  /// - Throws: any `RLHFError` of the steps, including `.maskTooSmall` when
  ///   the kept tokens number fewer than two (whitening needs a variance).
  public init(
    grid: TokenGrid, scores: [Double], logProbs: [Double],
    refLogProbs: [Double], values: [Double], responseMask: [Double],
    coefficient: Double, estimator: AdvantageEstimator, keptCount: Int,
    ranking: RiskRanking = .return
  ) throws {
    let shaped = try ShapedRewards(
      grid: grid, scores: scores, logProbs: logProbs, refLogProbs: refLogProbs,
      mask: responseMask, coefficient: coefficient)
    let estimate = try estimator.estimate(
      grid: grid, rewards: shaped.rewards, values: values, mask: responseMask)

    let keys: [Double]
    switch ranking {
    case .return:
      keys = (0..<grid.batchSize).map { estimate.returns[grid.index($0, 0)] }
    case .score:
      keys = scores
    }
    let selection = try RiskSelection(
      grid: grid, keys: keys, keptCount: keptCount, responseMask: responseMask)

    self.advantages = try MaskedStatistics.whiten(
      estimate.advantages, mask: selection.mask)
    self.grid = grid
    self.scores = scores
    self.oldLogProbs = logProbs
    self.refLogProbs = refLogProbs
    self.responseMask = responseMask
    self.shaped = shaped
    self.values = estimate.values
    self.returns = estimate.returns
    self.selection = selection
    self.coefficient = coefficient
  }

  /// The training mask: response tokens of kept episodes, `[B, T]`.
  public var mask: [Double] { selection.mask }

  /// The rows `rows` of this batch as a minibatch for `PPOLoss`.
  ///
  /// - Parameter rows: episode indices, each in 0..<B.
  public func minibatch(rows: [Int]) -> PPOMinibatch {
    func gather(_ array: [Double]) -> [Double] {
      var out: [Double] = []
      out.reserveCapacity(rows.count * grid.length)
      for b in rows {
        precondition(b >= 0 && b < grid.batchSize, "row out of range")
        out.append(contentsOf: array[(b * grid.length)..<((b + 1) * grid.length)])
      }
      return out
    }
    return PPOMinibatch(
      rows: rows, length: grid.length, oldLogProbs: gather(oldLogProbs),
      values: gather(values), advantages: gather(advantages),
      returns: gather(returns), mask: gather(mask))
  }
}
