/// One PPO iteration of a run: its row in `iterations`, its statistics and its
/// episodes, recorded together in one transaction by ``Store/record(_:of:at:)``.
public struct IterationRecord: Hashable, Sendable {
  /// The iteration number (≥ 0), above the last one recorded for the run.
  public var iteration: Int
  /// α′, the number of episodes kept in the tail this iteration (≥ 0).
  public var keptCount: Int
  /// The return of the α′-th lowest episode: the tail's upper edge.
  public var returnThreshold: Double?
  /// The mean return over the whole batch.
  public var returnMean: Double?
  /// The mean return over the kept episodes.
  public var returnMeanKept: Double?
  /// Named statistics with TRL's names (`env/reward_mean`, `objective/kl`,
  /// `ppo/loss/policy`, `time/ppo/total`, ...).
  public var statistics: [String: Double]
  /// The batch's episodes; element `i` is stored at position `i`.
  public var episodes: [EpisodeRecord]

  /// An iteration; see the properties.
  public init(
    iteration: Int, keptCount: Int, returnThreshold: Double? = nil,
    returnMean: Double? = nil, returnMeanKept: Double? = nil,
    statistics: [String: Double] = [:], episodes: [EpisodeRecord]
  ) {
    self.iteration = iteration
    self.keptCount = keptCount
    self.returnThreshold = returnThreshold
    self.returnMean = returnMean
    self.returnMeanKept = returnMeanKept
    self.statistics = statistics
    self.episodes = episodes
  }
}
