/// Which episodes of a batch RA-RLHF trains on: the α′ with the lowest
/// ranking key (the CVaR tail), with the token mask of the rest zeroed.
///
/// In the authors' code (their fork of TRL's `compute_advantages`) the key is
/// the GAE return at the first response token, the threshold is the α′-th
/// smallest key, and every episode whose key is strictly above it loses its
/// whole mask, so ties at the threshold are kept and more than α′ episodes
/// can remain. Ranking by the reward-model score is offered as an option
/// (`risk.ranking`, Configuration's `RiskRanking`).
public struct RiskSelection: Sendable, Equatable {
  /// α′, the requested kept count, in 1…B.
  public let keptCount: Int
  /// The α′-th smallest key; episodes with a key ≤ this are in the tail.
  public let threshold: Double
  /// The ranking key of each episode, `[B]`.
  public let keys: [Double]
  /// Whether each episode is in the tail (kept), `[B]`.
  public let inTail: [Bool]
  /// The response mask with rows outside the tail zeroed, `[B, T]`.
  public let mask: [Double]

  /// Ranks the episodes and builds the kept mask.
  ///
  /// - Parameters:
  ///   - grid: the batch shape B × T.
  ///   - keys: ranking key of each episode, `[B]`, finite.
  ///   - keptCount: α′, in 1…B (B keeps everything: plain RLHF).
  ///   - responseMask: response mask, `[B, T]` row-major.
  /// - Throws: `RLHFError.shapeMismatch`, `.invalidParameter` for α′ outside
  ///   1…B, `.nonFiniteInput` for a NaN or infinite key.
  public init(
    grid: TokenGrid, keys: [Double], keptCount: Int, responseMask: [Double]
  ) throws {
    try grid.checkRows(keys, "ranking keys")
    try grid.check(responseMask, "response mask")
    guard keptCount >= 1, keptCount <= grid.batchSize else {
      throw RLHFError.invalidParameter(
        name: "kept count α′", value: Double(keptCount),
        allowed: "in 1…\(grid.batchSize)")
    }
    for (b, key) in keys.enumerated() where !key.isFinite {
      throw RLHFError.nonFiniteInput(name: "ranking keys", index: b, value: key)
    }
    let threshold = keys.sorted()[keptCount - 1]
    let inTail = keys.map { $0 <= threshold }
    var mask = responseMask
    for b in 0..<grid.batchSize where !inTail[b] {
      for t in 0..<grid.length { mask[grid.index(b, t)] = 0 }
    }
    self.keptCount = keptCount
    self.threshold = threshold
    self.keys = keys
    self.inTail = inTail
    self.mask = mask
  }

  /// The number of episodes actually kept (≥ α′ when keys tie).
  public var keptEpisodes: Int { inTail.lazy.filter { $0 }.count }
}
