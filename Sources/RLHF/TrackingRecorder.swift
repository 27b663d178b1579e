import Tracking

/// Writes each PPO iteration into the tracking store: the `iterations` row,
/// every statistic and all B episodes, in the one transaction of
/// `Store.record(_:of:at:)`, so an iteration is stored whole or not at all.
///
/// An episode's `return` column holds G₀, the GAE return at the first
/// response token that RA-RLHF ranks by (with γ = 1 and λ = 1 it is the sum
/// of the shaped rewards; with the paper's λ = 0.95 it also leans on the
/// value head).
public final class TrackingRecorder: IterationRecorder {
  let store: Store
  let run: RunID
  let decode: ([Int]) throws -> String
  let promptIDs: (Int) throws -> [PromptID]

  /// Makes a recorder for `run`.
  ///
  /// - Parameters:
  ///   - store: the open tracking store.
  ///   - run: the registered run.
  ///   - decode: turns a response's token ids into its text.
  ///   - promptIDs: the stored prompt of each batch position at an
  ///     iteration, `[B]`.
  public init(
    store: Store, run: RunID, decode: @escaping ([Int]) throws -> String,
    promptIDs: @escaping (Int) throws -> [PromptID]
  ) {
    self.store = store
    self.run = run
    self.decode = decode
    self.promptIDs = promptIDs
  }

  /// Stores one iteration.
  ///
  /// - Throws: `RLHFError.shapeMismatch` when `promptIDs` gives the wrong
  ///   count; `TrackingError` from the store; errors of `decode`.
  public func record(_ iteration: IterationResult) throws {
    try store.record(try trackingRecord(of: iteration), of: run)
  }

  /// The store's record of an iteration.
  func trackingRecord(of iteration: IterationResult) throws -> IterationRecord {
    let prompts = try promptIDs(iteration.iteration)
    guard prompts.count == iteration.episodes.count else {
      throw RLHFError.shapeMismatch(
        name: "prompt ids of iteration \(iteration.iteration)",
        expected: iteration.episodes.count, got: prompts.count)
    }
    let episodes = try zip(prompts, iteration.episodes).map { prompt, episode in
      EpisodeRecord(
        prompt: prompt, completion: try decode(episode.response), reward: episode.score,
        kl: episode.kl, returnValue: episode.firstTokenReturn,
        responseLength: episode.response.count, inTail: episode.inTail)
    }
    return IterationRecord(
      iteration: iteration.iteration, keptCount: iteration.keptCount,
      returnThreshold: iteration.threshold, returnMean: iteration.returnMean,
      returnMeanKept: iteration.returnMeanKept, statistics: iteration.statistics,
      episodes: episodes)
  }
}
