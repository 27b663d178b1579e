/// The per-token rewards of PPO-based RLHF: a KL penalty on every response
/// token plus the reward-model score on the last one.
///
/// Paper Sec. 3 (and TRL 0.7's `compute_rewards` with `kl_penalty="kl"`):
/// r̄ₜ = −β · (log π(aₜ|sₜ) − log π_ref(aₜ|sₜ)) for each response token, and
/// the score R(x, y) added at the last response token.
public struct ShapedRewards: Sendable, Equatable {
  /// r̄, the shaped per-token rewards, `[B, T]` row-major; 0 on padding.
  public var rewards: [Double]
  /// −β(log π − log π_ref) alone, `[B, T]` row-major; 0 on padding.
  public var nonScoreRewards: [Double]
  /// Σₜ (log π − log π_ref) over each episode's response tokens, `[B]`.
  public var episodeKL: [Double]

  /// Computes the shaped rewards of one batch.
  ///
  /// - Parameters:
  ///   - grid: the batch shape B × T.
  ///   - scores: reward-model score of each episode, `[B]`.
  ///   - logProbs: log π of each response token under the policy that
  ///     sampled it, `[B, T]` row-major.
  ///   - refLogProbs: log π_ref of the same tokens, `[B, T]` row-major.
  ///   - mask: response mask, `[B, T]`, 1 on generated tokens.
  ///   - coefficient: β, the KL coefficient; ≥ 0.
  /// - Throws: `RLHFError.shapeMismatch` for wrong sizes,
  ///   `.maskTooSmall` for an episode with no response token.
  public init(
    grid: TokenGrid, scores: [Double], logProbs: [Double],
    refLogProbs: [Double], mask: [Double], coefficient: Double
  ) throws {
    try grid.checkRows(scores, "scores")
    try grid.check(logProbs, "log-probs")
    try grid.check(refLogProbs, "reference log-probs")
    try grid.check(mask, "response mask")
    var rewards = [Double](repeating: 0, count: grid.count)
    var nonScore = rewards
    var episodeKL = [Double](repeating: 0, count: grid.batchSize)
    for b in 0..<grid.batchSize {
      guard let last = grid.lastMaskedToken(in: mask, row: b) else {
        throw RLHFError.maskTooSmall(
          quantity: "reward shaping of episode \(b)", kept: 0, needed: 1)
      }
      for t in 0..<grid.length {
        let i = grid.index(b, t)
        guard mask[i] != 0 else { continue }
        let kl = logProbs[i] - refLogProbs[i]
        episodeKL[b] += kl * mask[i]
        nonScore[i] = -coefficient * kl
        rewards[i] = nonScore[i]
      }
      rewards[grid.index(b, last)] += scores[b]
    }
    self.rewards = rewards
    self.nonScoreRewards = nonScore
    self.episodeKL = episodeKL
  }
}
