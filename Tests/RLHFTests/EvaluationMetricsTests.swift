import Foundation
import Tensors
import Testing

@testable import RLHF

@Suite struct EvaluationMetricsTests {
  static let rewards = [1.0, 2, 3, 4, 5]
  static let promptScores = [-3.0, -1, -2.6, 0, 5]

  @Test func averageRewardIsTheMean() throws {
    #expect(try EvaluationMetrics.averageReward(Self.rewards) == 3)
  }

  /// Absolute threshold −2.5 keeps prompts 0 and 2: (1 + 3)/2. The median
  /// of the scores is −1, keeping prompts 0, 1, 2: (1 + 2 + 3)/3.
  @Test(arguments: [
    (EvaluationMetrics.TailThreshold.score(-2.5), 2.0),
    (.quantile(0.5), 2.0),
    (.quantile(1), 3.0),
    (.score(-3), 1.0),
  ])
  func tailRewardAveragesOverLowScoringPrompts(
    threshold: EvaluationMetrics.TailThreshold, expected: Double
  ) throws {
    let tail = try EvaluationMetrics.tailReward(
      rewards: Self.rewards, promptScores: Self.promptScores, threshold: threshold)
    #expect(isClose(tail, expected))
  }

  @Test func emptyTailIsAnError() {
    #expect(throws: RLHFError.self) {
      _ = try EvaluationMetrics.tailReward(
        rewards: Self.rewards, promptScores: Self.promptScores, threshold: .score(-10))
    }
  }

  /// Rewards 1…20 shuffled: the lowest 1, 2, 4 values average 1, 1.5, 2.5.
  @Test(arguments: [(0.05, 1.0), (0.1, 1.5), (0.2, 2.5), (1.0, 10.5)])
  func cvarAveragesTheLowestCompletions(level: Double, expected: Double) throws {
    var random = RandomGenerator(seed: 7)
    let rewards = (1...20).map(Double.init).shuffled(using: &random)
    #expect(try EvaluationMetrics.conditionalValueAtRisk(rewards, level: level) == expected)
  }

  /// Scores 4, 1, 3, 2 order the rewards 20, 40, 30, 10.
  @Test func quantileCurveAveragesPrefixesByPromptScore() throws {
    let curve = try EvaluationMetrics.rewardByPromptQuantile(
      rewards: [10, 20, 30, 40], promptScores: [4, 1, 3, 2])
    #expect(curve.count == 100)
    #expect(curve[0] == 20)  // q = 1: ⌊0.04⌋ → at least one prompt
    #expect(curve[24] == 20)
    #expect(curve[49] == 30)
    #expect(curve[74] == 30)
    #expect(curve[99] == 25)
  }

  @Test func perplexityIsTheMeanOfPerTextPerplexities() throws {
    let value = try EvaluationMetrics.perplexity([[log(0.5), log(0.5)], [log(0.25)]])
    #expect(isClose(value, 3))
    #expect(throws: RLHFError.self) { _ = try EvaluationMetrics.perplexity([[]]) }
  }

  /// Unigrams 6 with 2 distinct; bigrams 4 with 2 distinct; trigrams 2/2.
  @Test(arguments: [(1, 1.0 / 3), (2, 0.5), (3, 1.0), (5, 0.0)])
  func distinctCountsUniqueNGrams(n: Int, expected: Double) throws {
    let value = try EvaluationMetrics.distinct([[1, 2, 1, 2], [1, 2]], n: n)
    #expect(isClose(value, expected))
  }

  @Test func meanLengthCountsTokens() throws {
    #expect(try EvaluationMetrics.meanLength([[1, 2, 1, 2], [1, 2]]) == 3)
  }

  /// Hand-worked: scores [0.9, 0.4, 0.4, 0.1, −0.2], labels [1, 1, 0, 0, 1].
  /// Pairs (class 1, class 0): 0.9 beats 0.4 and 0.1 (2), 0.4 ties 0.4 (½)
  /// and beats 0.1 (1), −0.2 beats neither (0): 3.5 of 6. Predicted
  /// (score > 0): 1, 1, 1, 1, 0, so 2 of 5 correct.
  @Test func accuracyAndAUCOfAHandWorkedCaseWithATie() throws {
    let scores = [0.9, 0.4, 0.4, 0.1, -0.2]
    let labels = [1, 1, 0, 0, 1]
    #expect(isClose(try EvaluationMetrics.rocAUC(scores: scores, labels: labels), 3.5 / 6))
    #expect(isClose(try EvaluationMetrics.accuracy(scores: scores, labels: labels), 0.4))
  }

  /// Separating, reversed, all tied, and a tie across the classes inside
  /// a larger group: [3, 2, 2, 2, 1] with labels [1, 0, 1, 1, 0] has
  /// pairs 3 > 2 and 3 > 1 (2), 2 ~ 2 twice (½ each) and 2 > 1 twice: 5
  /// of 6. A score of exactly 0 predicts class 0.
  static let aucCases: [([Double], [Int], Double, Double)] = [
    ([1, 2, 3, 4], [0, 0, 1, 1], 1, 0.5),
    ([4, 3, 2, 1], [0, 0, 1, 1], 0, 0.5),
    ([1, 1, 1, 1], [1, 0, 1, 0], 0.5, 0.5),
    ([3, 2, 2, 2, 1], [1, 0, 1, 1, 0], 5.0 / 6, 0.6),
    ([0, 0, -1, 2], [0, 1, 0, 1], 0.875, 0.75),
  ]

  @Test(arguments: aucCases)
  func aucCountsTiesAsHalf(
    scores: [Double], labels: [Int], auc: Double, accuracy: Double
  ) throws {
    #expect(isClose(try EvaluationMetrics.rocAUC(scores: scores, labels: labels), auc))
    #expect(isClose(try EvaluationMetrics.accuracy(scores: scores, labels: labels), accuracy))
  }

  @Test func aucNeedsBothClassesAndBinaryLabels() {
    #expect(throws: RLHFError.emptyInput(name: "texts of class 0")) {
      _ = try EvaluationMetrics.rocAUC(scores: [1, 2], labels: [1, 1])
    }
    #expect(throws: RLHFError.emptyInput(name: "texts of class 1")) {
      _ = try EvaluationMetrics.rocAUC(scores: [1, 2], labels: [0, 0])
    }
    #expect(
      throws: RLHFError.invalidParameter(name: "classifier label", value: 2, allowed: "0 or 1")
    ) {
      _ = try EvaluationMetrics.accuracy(scores: [1, 2], labels: [0, 2])
    }
    #expect(throws: RLHFError.shapeMismatch(name: "classifier labels", expected: 2, got: 1)) {
      _ = try EvaluationMetrics.rocAUC(scores: [1, 2], labels: [0])
    }
  }

  @Test func emptyOrNonFiniteInputIsRefused() {
    #expect(throws: RLHFError.emptyInput(name: "rewards")) {
      _ = try EvaluationMetrics.averageReward([])
    }
    #expect(throws: RLHFError.self) { _ = try EvaluationMetrics.averageReward([1, .nan]) }
    #expect(throws: RLHFError.self) {
      _ = try EvaluationMetrics.conditionalValueAtRisk([1], level: 0)
    }
  }
}
