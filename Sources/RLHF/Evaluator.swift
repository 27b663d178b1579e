import Tensors

/// Evaluates a model on a test prompt set: samples one completion per
/// prompt, scores completions and prompts with the reward model, and computes
/// the paper's metrics (Sec. 5) with `EvaluationMetrics`.
///
/// Every prompt is evaluated: the last batch may be partial (the authors'
/// evaluation dropped it). Metric names, as stored in `evaluations.metric`:
/// `reward` (the average), `tail_reward`, `cvar_5`, `cvar_10`, `cvar_20`,
/// `distinct_1`, `distinct_2`, `distinct_3`, `mean_length`, `tail_count`
/// (prompts in the tail), `tail_threshold` (the own score at or below which
/// a prompt is in the tail: the absolute threshold, or the quantile's
/// score), `tail_quantile` (the quantile, when the tail is one),
/// `perplexity` when texts are given, and `judge_reward` and
/// `judge_tail_reward` (the judge's mean over the same tail prompts as
/// `tail_reward`, delimited by the reward model's prompt scores) when a
/// judge is. Both tail rewards are left out when no prompt is in the tail
/// (a reward model whose scale puts no prompt under the threshold), rather
/// than failing the evaluation.
public struct Evaluator: Sendable {
  /// Prompts per sampling call; ≥ 1.
  public var batchSize: Int
  /// New tokens per completion at most (IMDB 48, Jigsaw 32).
  public var maxNewTokens: Int
  /// Seed of the sampling (the paper samples its IMDB test set with seed 0).
  public var seed: UInt64
  /// The tail of prompts for `tail_reward` (IMDB score −2.5, Jigsaw +5).
  public var tail: EvaluationMetrics.TailThreshold

  /// Makes an evaluator.
  public init(
    batchSize: Int, maxNewTokens: Int, seed: UInt64, tail: EvaluationMetrics.TailThreshold
  ) {
    self.batchSize = batchSize
    self.maxNewTokens = maxNewTokens
    self.seed = seed
    self.tail = tail
  }

  /// What one evaluation produced.
  public struct Report: Sendable, Equatable {
    /// Metric name → value.
    public var metrics: [String: Double]
    /// The completion of each prompt (token ids), in prompt order.
    public var completions: [[Int]]
    /// The reward of each completion, in prompt order.
    public var rewards: [Double]
    /// The reward model on each prompt alone, in prompt order.
    public var promptScores: [Double]
    /// The judge's score of each completion, in prompt order; empty
    /// without a judge.
    public var judgeRewards: [Double]
    /// Mean completion reward over the lowest q % of prompts by own score,
    /// q = 1…100, `[100]`.
    public var quantileCurve: [Double]
  }

  /// Runs the evaluation.
  ///
  /// - Parameters:
  ///   - prompts: test prompts as token ids; at least one.
  ///   - model: the model under evaluation.
  ///   - rewardModel: the reward model (or judge).
  ///   - promptScores: the prompts' own scores if already known (for
  ///     instance from the `prompts` table), `[N]`; computed when nil.
  ///   - perplexityTexts: human-written texts for perplexity, with
  ///     `textScorer`; both or neither.
  ///   - judge: a held-out reward model scoring the same completions.
  /// - Throws: `RLHFError` for bad sizes or settings, non-finite scores;
  ///   model errors pass through.
  public func evaluate(
    prompts: [[Int]], model: any ResponseSampler, rewardModel: any RewardScorer,
    promptScores knownScores: [Double]? = nil, perplexityTexts: [[Int]]? = nil,
    textScorer: (any TextScorer)? = nil, judge: (any RewardScorer)? = nil
  ) throws -> Report {
    guard batchSize >= 1 else {
      throw RLHFError.invalidParameter(
        name: "evaluation batch size", value: Double(batchSize), allowed: "at least 1")
    }
    guard !prompts.isEmpty else { throw RLHFError.emptyInput(name: "evaluation prompts") }
    var random = RandomGenerator(seed: seed).derived("evaluation")
    var completions: [[Int]] = []
    var rewards: [Double] = []
    var promptScores: [Double] = []
    var judgeRewards: [Double] = []
    for start in stride(from: 0, to: prompts.count, by: batchSize) {
      let chunk = Array(prompts[start..<min(start + batchSize, prompts.count)])
      let sampled = try model.sample(
        prompts: chunk, maxNewTokens: maxNewTokens, seed: random.next())
      guard sampled.count == chunk.count else {
        throw RLHFError.shapeMismatch(
          name: "completions", expected: chunk.count, got: sampled.count)
      }
      completions += sampled
      rewards += try rewardModel.scores(prompts: chunk, responses: sampled)
      if let judge { judgeRewards += try judge.scores(prompts: chunk, responses: sampled) }
      if knownScores == nil {
        promptScores += try rewardModel.scores(
          prompts: chunk, responses: Array(repeating: [], count: chunk.count))
      }
    }
    if let knownScores { promptScores = knownScores }
    let judged = judge == nil ? [] : [("judge rewards", judgeRewards)]
    for (name, values) in [("rewards", rewards), ("prompt scores", promptScores)] + judged
    where values.count != prompts.count {
      throw RLHFError.shapeMismatch(name: name, expected: prompts.count, got: values.count)
    }

    var metrics: [String: Double] = [
      "reward": try EvaluationMetrics.averageReward(rewards),
      "mean_length": try EvaluationMetrics.meanLength(completions),
    ]
    let limit = try EvaluationMetrics.tailLimit(promptScores, threshold: tail)
    let tailCount = promptScores.filter { $0 <= limit }.count
    metrics["tail_count"] = Double(tailCount)
    metrics["tail_threshold"] = limit
    if case .quantile(let q) = tail { metrics["tail_quantile"] = q }
    if tailCount > 0 {
      metrics["tail_reward"] = try EvaluationMetrics.tailReward(
        rewards: rewards, promptScores: promptScores, threshold: tail)
    }
    for (name, level) in [("cvar_5", 0.05), ("cvar_10", 0.1), ("cvar_20", 0.2)] {
      metrics[name] = try EvaluationMetrics.conditionalValueAtRisk(rewards, level: level)
    }
    for n in 1...3 {
      metrics["distinct_\(n)"] = try EvaluationMetrics.distinct(completions, n: n)
    }
    if judge != nil {
      metrics["judge_reward"] = try EvaluationMetrics.averageReward(judgeRewards)
      if tailCount > 0 {
        metrics["judge_tail_reward"] = try EvaluationMetrics.tailReward(
          rewards: judgeRewards, promptScores: promptScores, threshold: tail)
      }
    }
    switch (perplexityTexts, textScorer) {
    case (let texts?, let scorer?):
      // In batches, as the prompts: one pass over every test text at once
      // holds all their activations (14 GB for IMDB's 12,500 reviews).
      var logProbs: [[Double]] = []
      for start in stride(from: 0, to: texts.count, by: batchSize) {
        logProbs += try scorer.tokenLogProbs(
          texts: Array(texts[start..<min(start + batchSize, texts.count)]))
      }
      metrics["perplexity"] = try EvaluationMetrics.perplexity(logProbs)
    case (nil, nil):
      break
    default:
      throw RLHFError.emptyInput(name: "perplexity texts or text scorer (give both or neither)")
    }
    return Report(
      metrics: metrics, completions: completions, rewards: rewards,
      promptScores: promptScores, judgeRewards: judgeRewards,
      quantileCurve: try EvaluationMetrics.rewardByPromptQuantile(
        rewards: rewards, promptScores: promptScores))
  }
}
