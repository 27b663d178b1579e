import Foundation
import Testing

@testable import RLHF

/// Records what it is given; for `PPOTrainer.train`.
final class ListRecorder: IterationRecorder {
  var records: [IterationResult] = []
  func record(_ iteration: IterationResult) throws { records.append(iteration) }
}

/// A judge that scores a completion by its length in tokens.
final class LengthJudge: RewardScorer {
  func scores(prompts: [[Int]], responses: [[Int]]) throws -> [Double] {
    responses.map { Double($0.count) }
  }
}

@Suite struct EvaluatorTests {
  /// Ten prompts in batches of four: the last, partial batch of two must
  /// be evaluated too. Prompt scores are prompt[0] mod 5 − 2, so the tail
  /// (score ≤ −1) is prompts 0, 1, 5, 6.
  @Test func everyPromptIsEvaluatedAndMetricsAgreeWithTheirDefinitions() throws {
    let prompts = (0..<10).map { [$0] }
    let model = ToyPolicy(theta: [1, 0, -1], positions: 4)
    let evaluator = Evaluator(batchSize: 4, maxNewTokens: 4, seed: 0, tail: .score(-1))
    let scorer = ToyPolicy(positions: 1)
    let report = try evaluator.evaluate(
      prompts: prompts, model: model, rewardModel: ToyRewardModel(),
      perplexityTexts: [[0, 0], [1], [2], [0], [1, 2]], textScorer: scorer,
      judge: ToyRewardModel())
    // The perplexity texts are scored in batches of four, as the prompts.
    #expect(scorer.scoredTextCounts == [4, 1])

    #expect(report.completions.count == 10)
    #expect(report.completions.map(\.count) == (0..<10).map { 1 + $0 % 4 })
    #expect(report.promptScores == [-2, -1, 0, 1, 2, -2, -1, 0, 1, 2])
    let mean = report.rewards.reduce(0, +) / 10
    #expect(isClose(report.metrics["reward"] ?? .nan, mean))
    let tail = [0, 1, 5, 6].map { report.rewards[$0] }.reduce(0, +) / 4
    #expect(isClose(report.metrics["tail_reward"] ?? .nan, tail))
    #expect(report.metrics["tail_count"] == 4)
    #expect(report.metrics["cvar_5"] == report.rewards.min())
    #expect(isClose(report.metrics["mean_length"] ?? .nan, 2.3))  // 23 tokens / 10
    #expect(isClose(report.metrics["perplexity"] ?? .nan, 3))  // uniform over 3 tokens
    #expect(report.judgeRewards == report.rewards)  // the same scorer as judge
    #expect(isClose(report.metrics["judge_reward"] ?? .nan, mean))
    #expect(report.quantileCurve.count == 100)
    #expect(isClose(report.quantileCurve[99], mean))
    #expect(Set(report.metrics.keys).isSuperset(of: ["distinct_1", "distinct_2", "distinct_3"]))
  }

  /// The judge scores a completion by its length, 1 + i mod 4 for prompt
  /// i: [1, 2, 3, 4, 1, 2, 3, 4, 1, 2]. Its tail reward is over the reward
  /// model's tail (prompts 0, 1, 5, 6): (1 + 2 + 2 + 3) / 4 = 2; its
  /// average is 23 / 10.
  @Test func judgeTailRewardIsOverTheRewardModelsTailPrompts() throws {
    let evaluator = Evaluator(batchSize: 4, maxNewTokens: 4, seed: 0, tail: .score(-1))
    let report = try evaluator.evaluate(
      prompts: (0..<10).map { [$0] }, model: ToyPolicy(theta: [1, 0, -1], positions: 4),
      rewardModel: ToyRewardModel(), judge: LengthJudge())
    #expect(report.judgeRewards == [1, 2, 3, 4, 1, 2, 3, 4, 1, 2])
    #expect(isClose(report.metrics["judge_tail_reward"] ?? .nan, 2))
    #expect(isClose(report.metrics["judge_reward"] ?? .nan, 2.3))
    #expect(report.metrics["judge_tail_reward"] != report.metrics["tail_reward"])
  }

  @Test func judgeTailRewardNeedsAJudgeAndATail() throws {
    let prompts = (0..<5).map { [$0] }
    let noJudge = try Evaluator(batchSize: 4, maxNewTokens: 4, seed: 0, tail: .score(-1))
      .evaluate(prompts: prompts, model: ToyPolicy(positions: 4), rewardModel: ToyRewardModel())
    #expect(noJudge.metrics["tail_reward"] != nil)
    #expect(noJudge.metrics["judge_tail_reward"] == nil)
    let noTail = try Evaluator(batchSize: 4, maxNewTokens: 4, seed: 0, tail: .score(-10))
      .evaluate(
        prompts: prompts, model: ToyPolicy(positions: 4), rewardModel: ToyRewardModel(),
        judge: LengthJudge())
    #expect(noTail.metrics["judge_reward"] != nil)
    #expect(noTail.metrics["judge_tail_reward"] == nil)
  }

  @Test func emptyTailLeavesOutTheTailRewardInsteadOfFailing() throws {
    let evaluator = Evaluator(batchSize: 4, maxNewTokens: 4, seed: 0, tail: .score(-10))
    let report = try evaluator.evaluate(
      prompts: (0..<5).map { [$0] }, model: ToyPolicy(positions: 4),
      rewardModel: ToyRewardModel())
    #expect(report.metrics["tail_count"] == 0)
    #expect(report.metrics["tail_reward"] == nil)
    #expect(report.metrics["reward"] != nil)
  }

  /// Prompt scores are prompt[0] mod 5 − 2 over ten prompts, so two of
  /// each of −2…2: the 0.2-quantile is −1.2 (position 1.8 of the sorted
  /// scores, between −2 and −1), the 0.5-quantile 0.
  @Test(arguments: [
    (EvaluationMetrics.TailThreshold.quantile(0.2), -1.2, 2.0, 0.2 as Double?),
    (.quantile(0.5), 0, 6, 0.5), (.score(-1), -1, 4, nil),
  ])
  func recordsTheTailThresholdUsed(
    tail: EvaluationMetrics.TailThreshold, limit: Double, count: Double, quantile: Double?
  ) throws {
    let evaluator = Evaluator(batchSize: 4, maxNewTokens: 4, seed: 0, tail: tail)
    let report = try evaluator.evaluate(
      prompts: (0..<10).map { [$0] }, model: ToyPolicy(theta: [1, 0, -1], positions: 4),
      rewardModel: ToyRewardModel())
    #expect(isClose(report.metrics["tail_threshold"] ?? .nan, limit))
    #expect(report.metrics["tail_count"] == count)
    #expect(report.metrics["tail_quantile"] == quantile)
    let inTail = report.promptScores.indices.filter { report.promptScores[$0] <= limit }
    let mean = inTail.map { report.rewards[$0] }.reduce(0, +) / Double(inTail.count)
    #expect(isClose(report.metrics["tail_reward"] ?? .nan, mean))
  }

  @Test func sameSeedSamplesTheSameCompletions() throws {
    let prompts = (0..<6).map { [$0] }
    let evaluator = Evaluator(batchSize: 4, maxNewTokens: 4, seed: 3, tail: .quantile(0.5))
    func completions() throws -> [[Int]] {
      try evaluator.evaluate(
        prompts: prompts, model: ToyPolicy(positions: 4), rewardModel: ToyRewardModel()
      ).completions
    }
    #expect(try completions() == completions())
  }

  @Test func trainHandsEveryIterationToTheRecorder() throws {
    let trainer = try PPOTrainer(
      settings: PPOTrainerTests.settings(batch: 4), policy: ToyPolicy(positions: 4),
      reference: ToyPolicy(positions: 4), rewardModel: ToyRewardModel())
    let recorder = ListRecorder()
    let batch = PPOTrainerTests.prompts(4)
    try trainer.train(promptBatches: [batch, batch, batch], firstIteration: 5, recorder: recorder)
    #expect(recorder.records.map(\.iteration) == [5, 6, 7])
    #expect(recorder.records.allSatisfy { $0.episodes.count == 4 })
  }
}
