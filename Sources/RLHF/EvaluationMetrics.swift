import Foundation

/// The paper's evaluation metrics (Sec. 5, "Evaluation"), over plain arrays.
///
/// Reward arrays hold one completion reward per test prompt; `promptScores`
/// holds the reward model's score of the same prompt alone, in the same
/// order. Every metric refuses empty or non-finite input.
public enum EvaluationMetrics {
  /// How the tail of the prompt distribution is delimited.
  public enum TailThreshold: Sendable, Equatable {
    /// Prompts whose own score is ≤ this value (IMDB −2.5, Jigsaw +5).
    case score(Double)
    /// Prompts whose own score is ≤ the q-quantile of all prompt scores,
    /// q in (0, 1], by linear interpolation between order statistics.
    case quantile(Double)
  }

  /// Mean completion reward over all prompts.
  ///
  /// - Parameter rewards: completion reward per prompt, `[N]`.
  public static func averageReward(_ rewards: [Double]) throws -> Double {
    try checked(rewards, "rewards")
    return rewards.reduce(0, +) / Double(rewards.count)
  }

  /// Mean completion reward over the prompts whose own score is at most the
  /// threshold: a tail of the prompt distribution, not a CVaR.
  ///
  /// - Parameters:
  ///   - rewards: completion reward per prompt, `[N]`.
  ///   - promptScores: the reward model on each prompt alone, `[N]`.
  ///   - threshold: absolute score or quantile.
  /// - Throws: `RLHFError.emptyInput` when no prompt is in the tail.
  public static func tailReward(
    rewards: [Double], promptScores: [Double], threshold: TailThreshold
  ) throws -> Double {
    try checked(rewards, "rewards")
    try checked(promptScores, "prompt scores")
    guard promptScores.count == rewards.count else {
      throw RLHFError.shapeMismatch(
        name: "prompt scores", expected: rewards.count, got: promptScores.count)
    }
    let limit = try tailLimit(promptScores, threshold: threshold)
    var sum = 0.0
    var count = 0
    for (reward, score) in zip(rewards, promptScores) where score <= limit {
      sum += reward
      count += 1
    }
    guard count > 0 else {
      throw RLHFError.emptyInput(name: "tail (prompts with score ≤ \(limit))")
    }
    return sum / Double(count)
  }

  /// The prompt score at or below which a prompt is in the tail.
  ///
  /// - Throws: `RLHFError.invalidParameter` for a quantile outside (0, 1],
  ///   `.emptyInput` for no scores.
  public static func tailLimit(
    _ promptScores: [Double], threshold: TailThreshold
  ) throws -> Double {
    try checked(promptScores, "prompt scores")
    switch threshold {
    case .score(let value):
      return value
    case .quantile(let q):
      guard q > 0, q <= 1 else {
        throw RLHFError.invalidParameter(name: "tail quantile", value: q, allowed: "in (0, 1]")
      }
      return quantile(promptScores.sorted(), q)
    }
  }

  /// CVaR_α of completion rewards: the mean of the ⌈αN⌉ lowest rewards.
  ///
  /// - Parameters:
  ///   - rewards: completion rewards, `[N]`.
  ///   - level: α in (0, 1] (the paper's tables use 0.05, 0.1, 0.2).
  public static func conditionalValueAtRisk(_ rewards: [Double], level: Double) throws -> Double {
    try checked(rewards, "rewards")
    guard level > 0, level <= 1 else {
      throw RLHFError.invalidParameter(name: "CVaR level", value: level, allowed: "in (0, 1]")
    }
    let count = max(1, SoftRiskSchedule.ceiling(level * Double(rewards.count)))
    let lowest = rewards.sorted().prefix(count)
    return lowest.reduce(0, +) / Double(count)
  }

  /// The reward-versus-quantile curve: prompts sorted by their own score;
  /// entry q − 1 (q = 1…100) is the mean completion reward over the lowest
  /// ⌊qN/100⌋ prompts (as the authors' plotting code), at least one prompt.
  ///
  /// - Returns: 100 means, `[100]`.
  public static func rewardByPromptQuantile(
    rewards: [Double], promptScores: [Double]
  ) throws -> [Double] {
    try checked(rewards, "rewards")
    try checked(promptScores, "prompt scores")
    guard promptScores.count == rewards.count else {
      throw RLHFError.shapeMismatch(
        name: "prompt scores", expected: rewards.count, got: promptScores.count)
    }
    // A stable order: ties in score keep the input order.
    let order = rewards.indices.sorted {
      (promptScores[$0], $0) < (promptScores[$1], $1)
    }
    var prefix = [0.0]
    prefix.reserveCapacity(order.count + 1)
    for index in order { prefix.append(prefix[prefix.count - 1] + rewards[index]) }
    return (1...100).map { q in
      let count = max(1, q * rewards.count / 100)
      return prefix[count] / Double(count)
    }
  }

  /// Mean over texts of each text's perplexity exp(−mean log p).
  ///
  /// - Parameter tokenLogProbs: per text, the log-probability (nats) of each
  ///   predicted token; every text needs at least one token.
  public static func perplexity(_ tokenLogProbs: [[Double]]) throws -> Double {
    guard !tokenLogProbs.isEmpty else { throw RLHFError.emptyInput(name: "perplexity texts") }
    var sum = 0.0
    for (index, text) in tokenLogProbs.enumerated() {
      guard !text.isEmpty else { throw RLHFError.emptyInput(name: "perplexity text \(index)") }
      try checked(text, "log-probs of text \(index)")
      sum += exp(-text.reduce(0, +) / Double(text.count))
    }
    return sum / Double(tokenLogProbs.count)
  }

  /// Distinct-n (Li et al., 2016): distinct n-grams over all completions
  /// divided by the total number of n-grams; 0 when there are none.
  ///
  /// - Parameters:
  ///   - completions: token ids of each completion.
  ///   - n: n-gram order, at least 1.
  public static func distinct(_ completions: [[Int]], n: Int) throws -> Double {
    guard n >= 1 else {
      throw RLHFError.invalidParameter(
        name: "n-gram order", value: Double(n), allowed: "at least 1")
    }
    guard !completions.isEmpty else { throw RLHFError.emptyInput(name: "completions") }
    var seen = Set<[Int]>()
    var total = 0
    for tokens in completions where tokens.count >= n {
      for start in 0...(tokens.count - n) {
        seen.insert(Array(tokens[start..<(start + n)]))
        total += 1
      }
    }
    return total == 0 ? 0 : Double(seen.count) / Double(total)
  }

  /// Mean number of tokens per completion.
  public static func meanLength(_ completions: [[Int]]) throws -> Double {
    guard !completions.isEmpty else { throw RLHFError.emptyInput(name: "completions") }
    return Double(completions.reduce(0) { $0 + $1.count }) / Double(completions.count)
  }

  /// The q-quantile of sorted values by linear interpolation (numpy's
  /// default): position q · (N − 1).
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }

  static func checked(_ values: [Double], _ name: String) throws {
    guard !values.isEmpty else { throw RLHFError.emptyInput(name: name) }
    for (index, value) in values.enumerated() where !value.isFinite {
      throw RLHFError.nonFiniteInput(name: name, index: index, value: value)
    }
  }
}
