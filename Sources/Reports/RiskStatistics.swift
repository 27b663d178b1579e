/// The tail statistics of the paper's evaluation, over plain values.
public enum RiskStatistics {
  /// CVaR at `level`: the mean of the lowest ⌈level · N⌉ values.
  ///
  /// NaN values are ignored (a NaN has no rank). Returns `nil` for no
  /// finite values.
  /// - Parameters:
  ///   - values: the rewards, `[N]`, any order.
  ///   - level: the tail fraction in (0, 1], e.g. 0.05.
  public static func conditionalValueAtRisk(
    _ values: [Double], level: Double
  ) -> Double? {
    precondition(level > 0 && level <= 1, "level must be in (0, 1]")
    let sorted = values.filter { !$0.isNaN }.sorted()
    guard !sorted.isEmpty else { return nil }
    let count = max(1, Int((level * Double(sorted.count)).rounded(.up)))
    let tail = sorted.prefix(count)
    return tail.reduce(0, +) / Double(tail.count)
  }

  /// The reward-versus-quantile curve: for q = 1…100, the mean completion
  /// reward over the ⌊q · P / 100⌋ prompts (at least one) with the lowest
  /// own score, as the authors' plotting code and the RLHF evaluator count.
  ///
  /// A prompt's reward is the mean over its completions. Prompts without
  /// a score are left out; ties in score are broken by `promptRef`, so
  /// the curve does not depend on the episodes' order. Returns `[]` when
  /// no prompt has a score.
  /// - Parameter episodes: the evaluation episodes of one run, `[E]`.
  /// - Returns: `[100]`, element q − 1 for q %.
  public static func quantileCurve(_ episodes: [EvaluationEpisode]) -> [Double] {
    var sums: [Int64: (score: Double, sum: Double, count: Int)] = [:]
    for episode in episodes {
      guard let score = episode.promptScore, !score.isNaN else { continue }
      let entry = sums[episode.promptRef] ?? (score, 0, 0)
      sums[episode.promptRef] = (score, entry.sum + episode.reward, entry.count + 1)
    }
    let prompts = sums.sorted { lhs, rhs in
      lhs.value.score != rhs.value.score
        ? lhs.value.score < rhs.value.score : lhs.key < rhs.key
    }.map { $0.value.sum / Double($0.value.count) }
    guard !prompts.isEmpty else { return [] }
    var prefix = [0.0]
    for reward in prompts { prefix.append(prefix[prefix.count - 1] + reward) }
    return (1...100).map { q in
      let count = max(1, q * prompts.count / 100)
      return prefix[count] / Double(count)
    }
  }

  /// The seed mean and sample standard deviation at each iteration.
  ///
  /// An iteration appears if any seed has it; `count` says how many.
  /// - Parameter seeds: one curve per seed, `[seeds][points]`.
  /// - Returns: points ordered by iteration.
  public static func seedBand(_ seeds: [[CurvePoint]]) -> [(iteration: Int, estimate: Estimate)] {
    var values: [Int: [Double]] = [:]
    for curve in seeds {
      for point in curve { values[point.iteration, default: []].append(point.value) }
    }
    return values.keys.sorted().compactMap { iteration in
      guard let estimate = Estimate(samples: values[iteration] ?? []) else { return nil }
      return (iteration, estimate)
    }
  }
}
