/// The evaluation metrics the tables read from `evaluations.metric`.
///
/// The raw values are the names the RLHF evaluation records; a metric
/// that no run recorded shows as `missing`.
public enum EvaluationMetric: String, CaseIterable, Sendable, Hashable {
  /// Mean completion reward over all test prompts.
  case reward
  /// Mean completion reward over the test prompts whose own score is at
  /// most the task's threshold.
  case tailReward = "tail_reward"
  /// Mean of per-text perplexities on human-written preferred texts.
  case perplexity
  /// Distinct unigrams over all unigrams of the completions.
  case distinct1 = "distinct_1"
  /// Distinct bigrams over all bigrams of the completions.
  case distinct2 = "distinct_2"
  /// Mean reward of the completions under the held-out judge model.
  case judgeReward = "judge_reward"

  /// The column header.
  public var title: String {
    switch self {
    case .reward: return "Reward"
    case .tailReward: return "Tail reward"
    case .perplexity: return "Perplexity"
    case .distinct1: return "Distinct-1"
    case .distinct2: return "Distinct-2"
    case .judgeReward: return "Judge reward"
    }
  }

  /// Which direction is better.
  public var better: Table.Better {
    self == .perplexity ? .lower : .higher
  }
}
