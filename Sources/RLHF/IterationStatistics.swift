/// The statistics one PPO iteration records, named as TRL 0.7 names them
/// (`record_step_stats` and `log_stats`), so runs compare with TRL logs.
///
/// Per-token sums use the training mask, as in the authors' code, where the
/// risk selection overwrites the mask in place before the statistics are
/// taken: `objective/kl` is the mean over all B rows of each row's kept KL
/// sum, which is also what the KL controller is fed there.
public enum IterationStatistics {
  /// Averages the per-minibatch statistics of all epochs (TRL stacks them
  /// and takes the mean) and adds `ppo/val/var_explained`
  /// = 1 − `ppo/val/error` / `ppo/returns/var` from the averages.
  ///
  /// - Parameter minibatches: the `statistics` of every `PPOLoss`
  ///   evaluation of the iteration, in order; at least one.
  public static func averaged(_ minibatches: [[String: Double]]) -> [String: Double] {
    guard !minibatches.isEmpty else { return [:] }
    var sums: [String: Double] = [:]
    var counts: [String: Int] = [:]
    for statistics in minibatches {
      for (name, value) in statistics {
        sums[name, default: 0] += value
        counts[name, default: 0] += 1
      }
    }
    var averaged: [String: Double] = [:]
    for (name, sum) in sums { averaged[name] = sum / Double(counts[name] ?? 1) }
    if let error = averaged["ppo/val/error"], let variance = averaged["ppo/returns/var"] {
      averaged["ppo/val/var_explained"] = 1 - error / variance
    }
    return averaged
  }

  /// The batch-level statistics of an iteration.
  ///
  /// Gives `objective/kl`, `objective/kl_coef`, `objective/entropy`
  /// (mean over rows of Σ −log π over kept tokens), `ppo/mean_non_score_reward`,
  /// `ppo/mean_scores`, `ppo/std_scores`, `env/reward_mean`, `env/reward_std`
  /// (scores over all B episodes; standard deviations unbiased, 0 for B = 1),
  /// `tokens/responses_len_mean` (all B episodes) and the RA-RLHF extras
  /// `risk/kept_count` (α′), `risk/kept_episodes`, `risk/threshold`.
  ///
  /// - Throws: `RLHFError.maskTooSmall` if no token is kept.
  public static func batch(_ batch: PPOBatch) throws -> [String: Double] {
    let grid = batch.grid
    let mask = batch.mask
    var klSum = 0.0
    var entropySum = 0.0
    var lengthSum = 0.0
    for i in 0..<grid.count {
      klSum += (batch.oldLogProbs[i] - batch.refLogProbs[i]) * mask[i]
      entropySum += -batch.oldLogProbs[i] * mask[i]
      lengthSum += batch.responseMask[i]
    }
    let rows = Double(grid.batchSize)
    let scoreMean = batch.scores.reduce(0, +) / rows
    let scoreStd = sampleStandardDeviation(batch.scores)
    return [
      "objective/kl": klSum / rows,
      "objective/kl_coef": batch.coefficient,
      "objective/entropy": entropySum / rows,
      "ppo/mean_non_score_reward": try MaskedStatistics.mean(
        batch.shaped.nonScoreRewards, mask: mask),
      "ppo/mean_scores": scoreMean,
      "ppo/std_scores": scoreStd,
      "env/reward_mean": scoreMean,
      "env/reward_std": scoreStd,
      "tokens/responses_len_mean": lengthSum / rows,
      "risk/kept_count": Double(batch.selection.keptCount),
      "risk/kept_episodes": Double(batch.selection.keptEpisodes),
      "risk/threshold": batch.selection.threshold,
    ]
  }

  /// The unbiased sample standard deviation; 0 for fewer than two values.
  static func sampleStandardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let mean = values.reduce(0, +) / Double(values.count)
    let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return (squares / Double(values.count - 1)).squareRoot()
  }
}
