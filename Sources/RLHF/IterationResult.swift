/// Everything one PPO iteration produced that the store keeps: the risk
/// selection, TRL-named statistics and one record per episode (the rows of
/// the `iterations`, `iteration_stats` and `episodes` tables).
public struct IterationResult: Sendable, Equatable {
  /// One training episode of the iteration.
  public struct Episode: Sendable, Equatable {
    /// Position of the episode in the iteration's batch, 0..<B.
    public var position: Int
    /// The response's token ids (prompt excluded).
    public var response: [Int]
    /// The reward-model score R(x, y).
    public var score: Double
    /// Σₜ (log π_old − log π_ref) over the response tokens (nats).
    public var kl: Double
    /// G₀, the GAE return at the first response token.
    public var firstTokenReturn: Double
    /// Whether the episode was in the kept tail.
    public var inTail: Bool
  }

  /// m, the 0-based iteration.
  public var iteration: Int
  /// α′, the requested kept count.
  public var keptCount: Int
  /// The α′-th smallest ranking key.
  public var threshold: Double
  /// Mean G₀ over all B episodes.
  public var returnMean: Double
  /// Mean G₀ over the kept episodes.
  public var returnMeanKept: Double
  /// β used this iteration (before the controller's update).
  public var klCoefficient: Double
  /// TRL-named statistics (`env/reward_mean`, `ppo/loss/total`, …).
  public var statistics: [String: Double]
  /// The B episodes, in batch order.
  public var episodes: [Episode]
}
