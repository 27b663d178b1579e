@testable import Reports

/// A small, fully known set of runs: IMDB with Base, SFT, RLHF (3 seeds),
/// RA-RLHF at α = 0.4 (3 seeds) and α = 0.2 (2 seeds, one seed failed),
/// and Jigsaw with RLHF (2 seeds, one NaN perplexity).
///
/// Every value is a simple function of the run, so expected numbers can be
/// worked out by hand.
enum ReportFixture {
  /// The sweep name.
  static let sweep = "paper_5%"

  /// The runs, ids 1…12.
  static let runs: [RunSummary] = {
    var runs: [RunSummary] = []
    func add(
      _ task: String, _ algorithm: Algorithm, seed: Int,
      alpha: Double? = nil, status: String = "done",
      metrics: [String: Double]
    ) {
      let id = Int64(runs.count + 1)
      let risky = algorithm == .raRLHF
      runs.append(
        RunSummary(
          id: id, name: "\(task)_\(algorithm.rawValue)_\(id)", task: task,
          algorithm: algorithm, alpha: alpha, warmStart: risky ? 30 : nil,
          rho: risky ? 0.95 : nil, seed: seed, status: status,
          iterationsPlanned: algorithm >= .rlhf ? 4 : nil,
          iterationsRecorded: algorithm >= .rlhf && status == "done" ? 4 : 0,
          metrics: metrics))
    }
    add("imdb", .base, seed: 0, metrics: ["reward": -0.03, "perplexity": 43.96])
    add("imdb", .sft, seed: 0, metrics: ["reward": 0.12, "perplexity": 39.64])
    for seed in 0..<3 {
      let shift = Double(seed - 1) / 100
      add(
        "imdb", .rlhf, seed: seed,
        metrics: [
          "reward": 1.26 + shift, "tail_reward": -1.96 + shift,
          "perplexity": 44.32 + shift,
        ])
    }
    for seed in 0..<3 {
      let shift = Double(seed - 1) / 10
      add(
        "imdb", .raRLHF, seed: seed, alpha: 0.4,
        metrics: [
          "reward": 1.60, "tail_reward": -1.43 + shift,
          "perplexity": 47.39 + shift,
        ])
    }
    add(
      "imdb", .raRLHF, seed: 0, alpha: 0.2,
      metrics: ["reward": 1.70, "tail_reward": -1.2, "perplexity": 48.0])
    add(
      "imdb", .raRLHF, seed: 1, alpha: 0.2,
      metrics: ["reward": 1.80, "tail_reward": -1.0, "perplexity": 49.0])
    add("imdb", .raRLHF, seed: 2, alpha: 0.2, status: "failed", metrics: [:])
    add(
      "jigsaw", .rlhf, seed: 0,
      metrics: ["reward": 5.32, "tail_reward": 1.8, "perplexity": .nan])
    return runs
  }()

  /// Training curves for the RL runs: `env/reward_mean` = seed + iteration
  /// (+ 2 − 2α for RA-RLHF),
  /// `kept_count` = 8 − iteration × (1 − α) × 2 for RA-RLHF, 8 otherwise.
  static let curves: [Int64: [String: [CurvePoint]]] = {
    var curves: [Int64: [String: [CurvePoint]]] = [:]
    for run in runs where run.algorithm >= .rlhf && run.isDone {
      let alpha = run.alpha ?? 1
      let lift = run.algorithm == .raRLHF ? 2 - alpha * 2 : 0
      var series: [String: [CurvePoint]] = [:]
      for iteration in 0..<4 {
        let base = Double(run.seed + iteration) + lift
        let kept = 8 - Double(iteration) * (1 - alpha) * 2
        let add = { (name: String, value: Double) in
          series[name, default: []].append(
            CurvePoint(iteration: iteration, value: value))
        }
        add("env/reward_mean", base)
        add("env/reward_std", 1 + base / 10)
        add("objective/kl", base / 2)
        add("objective/kl_coef", 0.2 - Double(iteration) / 100)
        add("tokens/responses_len_mean", 48 - base)
        add("kept_count", kept.rounded(.up))
        add("return_mean", base - 1)
        add("return_mean_kept", base - 2)
      }
      curves[run.id] = series
    }
    return curves
  }()

  /// The prompt ids of a task: IMDB 1…20, Jigsaw 21…40, as a store that
  /// records IMDB's prompts first numbers them.
  static func promptIDs(_ task: String) -> ClosedRange<Int64> {
    task == "imdb" ? 1...20 : 21...40
  }

  /// Evaluation episodes: 20 prompts per task (k = 1…20 within the task,
  /// score = k − 10, class `negative` for k ≤ 10), one completion each with
  /// reward
  /// `score / 10 + offset`, offset 0 for base, 0.5 for SFT, 1 for RLHF,
  /// 1.5 for RA-RLHF, plus seed / 100.
  static let evaluationEpisodes: [Int64: [EvaluationEpisode]] = {
    var episodes: [Int64: [EvaluationEpisode]] = [:]
    for run in runs where run.isDone {
      let offset: Double
      switch run.algorithm {
      case .base: offset = 0
      case .sft: offset = 0.5
      case .rlhf: offset = 1
      case .raRLHF: offset = 1.5
      }
      let first = promptIDs(run.task).lowerBound
      episodes[run.id] = (1...20).map { prompt in
        let score = Double(prompt - 10)
        return EvaluationEpisode(
          promptRef: first + Int64(prompt - 1),
          promptClass: prompt <= 10 ? "negative" : "positive",
          promptScore: score,
          reward: score / 10 + offset + Double(run.seed) / 100)
      }
    }
    return episodes
  }()

  /// The whole fixture as report data.
  static let data = ReportData(
    sweeps: [sweep], runs: runs, curves: curves,
    evaluationEpisodes: evaluationEpisodes)
}
