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

  /// The model (table row) of each finished group: the group without its
  /// task, keeping of its settings only the keys that tell it apart from
  /// the other groups of its task with the same algorithm and schedule,
  /// gathered over all tasks so that one model spans the tasks' columns.
  ///
  /// When presets differ, `preset` is such a key, and of the other keys
  /// only those that differ between groups of one preset count, so a
  /// preset's many defaults do not crowd the label.
  var models: [RunGroup: RunGroup] {
    let groups = Array(finishedGroups.keys)
    var distinguishing: [RunGroup: Set<String>] = [:]
    for (key, siblings) in Dictionary(grouping: groups, by: \.labelKey) {
      distinguishing[Self.withoutTask(key), default: []]
        .formUnion(Self.distinguishingKeys(siblings))
    }
    return Dictionary(
      uniqueKeysWithValues: groups.map { group in
        var model = Self.withoutTask(group)
        let keys = distinguishing[Self.withoutTask(group.labelKey)] ?? []
        model.settings = group.settings.filter { keys.contains($0.key) }
        return (group, model)
      })
  }

  private static func withoutTask(_ group: RunGroup) -> RunGroup {
    var copy = group
    copy.task = ""
    return copy
  }

  /// The keys whose values differ among `groups` (one task, one algorithm
  /// and schedule): `preset` if the presets differ, and the keys that
  /// differ between groups of one preset.
  private static func distinguishingKeys(_ groups: [RunGroup]) -> Set<String> {
    var keys: Set<String> = []
    let presets = Dictionary(grouping: groups) { $0.settings["preset"] }
    if presets.count > 1 { keys.insert("preset") }
    for members in presets.values {
      for key in Set(members.flatMap(\.settings.keys))
      where Set(members.map { $0.settings[key] }).count > 1 {
        keys.insert(key)
      }
    }
    return keys
  }

  /// The table-row label of each model (see `models`): the algorithm's
  /// name, followed by the schedule values (n, α, ρ) that differ between
  /// that algorithm's models, then the model's settings
  /// (`RunSettings.labelParts`).
  func rowLabels() -> [RunGroup: String] {
    let models = Set(self.models.values)
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
      parts += RunSettings.labelParts(model.settings)
      let name = model.algorithm.displayName
      labels[model] = parts.isEmpty ? name : "\(name) (\(parts.joined(separator: ", ")))"
    }
    return labels
  }

  /// The label of each finished group: its model's row label.
  func groupLabels() -> [RunGroup: String] {
    let labels = rowLabels()
    return models.compactMapValues { labels[$0] }
  }
}
