import Configuration
import Testing

@testable import RLHF

/// A two-episode batch worked out by hand (T = 3; episode 1 has 2 tokens).
///
/// log π − log π_ref: row 0 = 0.5, −0.5, 0.5; row 1 = −0.5, 0.3.
/// With β = 0.1 the shaped rewards are row 0 = −0.05, 0.05, −0.05 + 2 and
/// row 1 = 0.05, −0.03 − 1. GAE with γ = 1, λ = 0.5 on values row 0 = 0.5,
/// 1, 1.5 and row 1 = 0.2, −0.4:
/// row 0: δ₂ = 1.95 − 1.5 = 0.45, Â₂ = 0.45; δ₁ = 0.05 + 1.5 − 1 = 0.55,
/// Â₁ = 0.775; δ₀ = −0.05 + 1 − 0.5 = 0.45, Â₀ = 0.8375;
/// row 1: δ₁ = −1.03 + 0.4 = −0.63, Â₁ = −0.63; δ₀ = 0.05 − 0.4 − 0.2 =
/// −0.55, Â₀ = −0.865. Returns G = Â + V.
enum HandBatch {
  static let scores = [2.0, -1.0]
  static let logProbs = [-1.0, -2.0, -0.5, -1.5, -0.7, 0]
  static let refLogProbs = [-1.5, -1.5, -1.0, -1.0, -1.0, 0]
  static let values = [0.5, 1.0, 1.5, 0.2, -0.4, 9]
  static let lengths = [3, 2]

  static func grid() throws -> TokenGrid { try TokenGrid(batchSize: 2, length: 3) }

  static func batch(keptCount: Int, key: RiskRanking = .return)
    throws -> PPOBatch
  {
    let grid = try grid()
    return try PPOBatch(
      grid: grid, scores: scores, logProbs: logProbs, refLogProbs: refLogProbs,
      values: values, responseMask: try grid.responseMask(lengths: lengths),
      coefficient: 0.1, estimator: try AdvantageEstimator(gamma: 1, lambda: 0.5),
      keptCount: keptCount, ranking: key)
  }
}

@Suite struct PPOBatchTests {
  @Test func shapedRewardsPenaliseKLAndAddTheScoreAtTheLastToken() throws {
    let batch = try HandBatch.batch(keptCount: 2)
    #expect(isClose(batch.shaped.rewards, [-0.05, 0.05, 1.95, 0.05, -1.03, 0]))
    #expect(isClose(batch.shaped.nonScoreRewards, [-0.05, 0.05, -0.05, 0.05, -0.03, 0]))
    #expect(isClose(batch.shaped.episodeKL, [0.5, -0.2]))
  }

  @Test func advantageScanMatchesHandWorkedValues() throws {
    let grid = try HandBatch.grid()
    let batch = try HandBatch.batch(keptCount: 2)
    let estimate = try AdvantageEstimator(gamma: 1, lambda: 0.5).estimate(
      grid: grid, rewards: batch.shaped.rewards, values: HandBatch.values,
      mask: try grid.responseMask(lengths: HandBatch.lengths))
    #expect(isClose(estimate.advantages, [0.8375, 0.775, 0.45, -0.865, -0.63, 0]))
    #expect(isClose(batch.returns, [1.3375, 1.775, 1.95, -0.665, -1.03, 0]))
    #expect(batch.values == [0.5, 1.0, 1.5, 0.2, -0.4, 0])
  }

  /// With γ = λ = 1 the first-token return is the undiscounted sum of the
  /// shaped rewards: 1.95 for row 0 and −0.98 for row 1.
  @Test func undiscountedReturnIsTheRewardSum() throws {
    let grid = try HandBatch.grid()
    let batch = try HandBatch.batch(keptCount: 2)
    let estimate = try AdvantageEstimator(gamma: 1, lambda: 1).estimate(
      grid: grid, rewards: batch.shaped.rewards, values: HandBatch.values,
      mask: batch.responseMask)
    #expect(isClose(estimate.returns[0], 1.95))
    #expect(isClose(estimate.returns[3], -0.98))
  }

  /// Whitening over all five tokens: mean 0.1135, unbiased variance
  /// 2.585245 / 4 = 0.64631125.
  @Test func plainRLHFWhitensOverEveryResponseToken() throws {
    let batch = try HandBatch.batch(keptCount: 2)
    let expected = [0.724, 0.6615, 0.3365, -0.9785, -0.7435].map {
      $0 / (0.64631125 + 1e-8).squareRoot()
    }
    let kept = [0, 1, 2, 3, 4].map { batch.advantages[$0] }
    #expect(isClose(kept, expected, tolerance: 1e-12))
    #expect(batch.selection.inTail == [true, true])
    #expect(batch.selection.threshold == 1.3375)
  }

  /// α′ = 1: row 1 (G₀ = −0.665) is the tail; whitening over its two tokens
  /// gives ∓1/√2 (up to the 1e-8 in the square root).
  @Test func riskSelectionKeepsTheLowestReturnAndWhitensOverItOnly() throws {
    let batch = try HandBatch.batch(keptCount: 1)
    #expect(batch.selection.inTail == [false, true])
    #expect(batch.selection.threshold == -0.665)
    #expect(batch.mask == [0, 0, 0, 1, 1, 0])
    #expect(isClose(batch.advantages[3], -0.7071066531455169, tolerance: 1e-12))
    #expect(isClose(batch.advantages[4], 0.7071066531455176, tolerance: 1e-12))
    // Returns are computed before selection, over the whole batch.
    #expect(isClose(batch.returns[0], 1.3375))
  }

  @Test func riskSelectionCanRankByScore() throws {
    let grid = try HandBatch.grid()
    let selection = try RiskSelection(
      grid: grid, keys: HandBatch.scores, keptCount: 1,
      responseMask: try grid.responseMask(lengths: HandBatch.lengths))
    #expect(selection.inTail == [false, true])
    let batch = try HandBatch.batch(keptCount: 1, key: .score)
    #expect(batch.selection.keys == HandBatch.scores)
  }

  @Test func tiesAtTheThresholdAreKept() throws {
    let grid = try TokenGrid(batchSize: 4, length: 1)
    let selection = try RiskSelection(
      grid: grid, keys: [1, 0, 0, 2], keptCount: 1, responseMask: [1, 1, 1, 1])
    #expect(selection.threshold == 0)
    #expect(selection.inTail == [false, true, true, false])
    #expect(selection.keptEpisodes == 2)
    #expect(selection.mask == [0, 1, 1, 0])
  }

  @Test func badSelectionInputIsRefused() throws {
    let grid = try TokenGrid(batchSize: 2, length: 1)
    #expect(throws: RLHFError.self) {
      _ = try RiskSelection(grid: grid, keys: [1, 2], keptCount: 3, responseMask: [1, 1])
    }
    #expect(throws: RLHFError.shapeMismatch(name: "ranking keys", expected: 2, got: 1)) {
      _ = try RiskSelection(grid: grid, keys: [1], keptCount: 1, responseMask: [1, 1])
    }
    #expect(throws: RLHFError.self) {
      _ = try RiskSelection(
        grid: grid, keys: [.nan, 1], keptCount: 1, responseMask: [1, 1])
    }
  }

  @Test func episodeWithoutResponseTokensIsRefused() throws {
    let grid = try TokenGrid(batchSize: 2, length: 2)
    #expect(throws: RLHFError.self) {
      _ = try ShapedRewards(
        grid: grid, scores: [1, 1], logProbs: [0, 0, 0, 0], refLogProbs: [0, 0, 0, 0],
        mask: [1, 0, 0, 0], coefficient: 0.1)
    }
    #expect(throws: RLHFError.self) { _ = try grid.responseMask(lengths: [1, 3]) }
  }

  /// TRL's masked statistics: mean 2 and unbiased variance 1 over the kept
  /// entries 1, 2, 3 (the 100 is masked out).
  @Test func maskedStatisticsIgnoreMaskedEntries() throws {
    let values = [1.0, 100, 2, 3]
    let mask = [1.0, 0, 1, 1]
    #expect(try MaskedStatistics.mean(values, mask: mask) == 2)
    #expect(try MaskedStatistics.variance(values, mask: mask) == 1)
    let whitened = try MaskedStatistics.whiten(values, mask: mask)
    #expect(isClose(whitened[0], -1 / (1 + 1e-8).squareRoot()))
    #expect(
      throws: RLHFError.maskTooSmall(
        quantity: "masked unbiased variance", kept: 1, needed: 2)
    ) {
      _ = try MaskedStatistics.variance(values, mask: [1, 0, 0, 0])
    }
  }

  /// objective/kl = (0.5 − 0.2)/2; objective/entropy = (3.5 + 2.2)/2;
  /// mean non-score reward = −0.03/5; scores 2, −1: mean 0.5, sd √4.5.
  @Test func batchStatisticsUseTRLNamesAndDefinitions() throws {
    let stats = try IterationStatistics.batch(try HandBatch.batch(keptCount: 2))
    #expect(isClose(stats["objective/kl"] ?? .nan, 0.15))
    #expect(isClose(stats["objective/entropy"] ?? .nan, 2.85))
    #expect(isClose(stats["objective/kl_coef"] ?? .nan, 0.1))
    #expect(isClose(stats["ppo/mean_non_score_reward"] ?? .nan, -0.006))
    #expect(isClose(stats["env/reward_mean"] ?? .nan, 0.5))
    #expect(isClose(stats["env/reward_std"] ?? .nan, 4.5.squareRoot()))
    #expect(isClose(stats["tokens/responses_len_mean"] ?? .nan, 2.5))
  }

  /// With α′ = 1 only row 1 counts in the KL sum, still divided by B = 2.
  @Test func batchKLFollowsTheRiskMaskAsTheAuthorsCode() throws {
    let stats = try IterationStatistics.batch(try HandBatch.batch(keptCount: 1))
    #expect(isClose(stats["objective/kl"] ?? .nan, -0.1))
    #expect(stats["risk/kept_count"] == 1)
    #expect(stats["risk/threshold"] == -0.665)
    #expect(isClose(stats["env/reward_mean"] ?? .nan, 0.5))
  }

  @Test func minibatchStatisticsAverageAndExplainVariance() {
    let averaged = IterationStatistics.averaged([
      ["ppo/val/error": 1, "ppo/returns/var": 4],
      ["ppo/val/error": 3, "ppo/returns/var": 4],
    ])
    #expect(averaged["ppo/val/error"] == 2)
    #expect(averaged["ppo/val/var_explained"] == 0.5)
  }
}
