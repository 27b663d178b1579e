/// Everything a report is computed from, as plain values: the runs of the
/// sweeps, their training curves and their evaluation episodes.
///
/// `ReportData(store:sweeps:)` fills it from the tracking database; tests
/// and other callers can build it directly.
public struct ReportData: Sendable {
  /// The sweep names the data was selected by.
  public var sweeps: [String]
  /// Every run of the sweeps, whatever its status, ordered by id.
  public var runs: [RunSummary]
  /// Training curves by run id, then statistic name: the `iterations`
  /// columns (`kept_count`, `return_threshold`, `return_mean`,
  /// `return_mean_kept`) and the `iteration_stats` names (`env/reward_mean`,
  /// `objective/kl`, …); points ordered by iteration.
  public var curves: [Int64: [String: [CurvePoint]]]
  /// Evaluation episodes by run id, ordered by position.
  public var evaluationEpisodes: [Int64: [EvaluationEpisode]]

  /// Report data; see the properties.
  public init(
    sweeps: [String], runs: [RunSummary],
    curves: [Int64: [String: [CurvePoint]]] = [:],
    evaluationEpisodes: [Int64: [EvaluationEpisode]] = [:]
  ) {
    self.sweeps = sweeps
    self.runs = runs
    self.curves = curves
    self.evaluationEpisodes = evaluationEpisodes
  }

  /// The runs with status `done`.
  public var finishedRuns: [RunSummary] { runs.filter(\.isDone) }

  /// The tasks of the finished runs, sorted.
  var tasks: [String] { Array(Set(finishedRuns.map(\.task))).sorted() }

  /// The finished runs by group (seeds together), each ordered by seed.
  var finishedGroups: [RunGroup: [RunSummary]] {
    Dictionary(grouping: finishedRuns, by: \.group).mapValues { runs in
      runs.sorted { ($0.seed, $0.id) < ($1.seed, $1.id) }
    }
  }

  /// The table-row label of each model configuration (a group without its
  /// task): the algorithm's name, followed by the schedule values (n, α,
  /// ρ) that differ between that algorithm's configurations, if any.
  func rowLabels() -> [RunGroup: String] {
    let models = Set(finishedRuns.map(\.group.model))
    var labels: [RunGroup: String] = [:]
    for model in models {
      let siblings = models.filter { $0.algorithm == model.algorithm }
      var parts: [String] = []
      if Set(siblings.map(\.warmStart)).count > 1, let n = model.warmStart {
        parts.append("n=\(n)")
      }
      if Set(siblings.map(\.alpha)).count > 1, let alpha = model.alpha {
        parts.append("α=\(NumberText.parameter(alpha))")
      }
      if Set(siblings.map(\.rho)).count > 1, let rho = model.rho {
        parts.append("ρ=\(NumberText.parameter(rho))")
      }
      let name = model.algorithm.displayName
      labels[model] = parts.isEmpty ? name : "\(name) (\(parts.joined(separator: ", ")))"
    }
    return labels
  }
}
