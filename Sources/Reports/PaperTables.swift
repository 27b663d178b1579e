/// The paper's tables built from report data.
///
/// Every estimate is the mean ± sample standard deviation over the seeds
/// of a group, over finished runs only; a group with no value for a metric
/// shows `missing`.
public enum PaperTables {
  /// The CVaR levels of the tail table: 5 %, 10 %, 20 %.
  public static let riskLevels = [0.05, 0.10, 0.20]

  /// Table 2's layout: one row per model (Base, SFT, RLHF, RA-RLHF, one
  /// row per schedule when several), per task one column per metric.
  ///
  /// Metrics that no finished run recorded are left out.
  /// - Parameters:
  ///   - data: the report data.
  ///   - metrics: the metrics, in column order.
  public static func main(
    _ data: ReportData, metrics: [EvaluationMetric] = EvaluationMetric.allCases
  ) -> Table {
    let recorded = Set(data.finishedRuns.flatMap(\.metrics.keys))
    let shown = metrics.filter { recorded.contains($0.rawValue) }
    let columns = data.tasks.flatMap { task in
      shown.map { metric in
        Table.Column(
          metric.title, better: metric.better, group: TaskName.display(task))
      }
    }
    return modelTable(
      data, name: "main",
      title: "Evaluation: mean ± sample std over seeds", columns: columns
    ) { runs, index in
      let metric = shown[index % shown.count].rawValue
      return runs.compactMap { $0.metrics[metric] }
    }
  }

  /// CVaR of the completion rewards at 5, 10 and 20 % per model and task
  /// (over each run's evaluation episodes, then over seeds). A run without
  /// evaluation episodes contributes its stored `cvar_5`, `cvar_10`,
  /// `cvar_20` metrics instead, when it has them.
  public static func conditionalValueAtRisk(_ data: ReportData) -> Table {
    let columns = data.tasks.flatMap { task in
      riskLevels.map { level in
        Table.Column(
          "CVaR \(Int((level * 100).rounded()))%", better: .higher,
          group: TaskName.display(task))
      }
    }
    return modelTable(
      data, name: "cvar",
      title: "CVaR of evaluation rewards: mean ± sample std over seeds",
      columns: columns
    ) { runs, index in
      let level = riskLevels[index % riskLevels.count]
      return runs.compactMap { run in
        let episodes = data.evaluationEpisodes[run.id] ?? []
        guard !episodes.isEmpty else {
          return run.metrics["cvar_\(Int((level * 100).rounded()))"]
        }
        return RiskStatistics.conditionalValueAtRisk(episodes.map(\.reward), level: level)
      }
    }
  }

  /// Table 3's layout for one task: RA-RLHF's schedules (n, α, ρ) against
  /// reward, tail reward and perplexity; `nil` when the task has no
  /// finished RA-RLHF run.
  public static func schedule(_ data: ReportData, task: String) -> Table? {
    let metrics: [EvaluationMetric] = [.reward, .tailReward, .perplexity]
    let groups = data.finishedGroups.filter { group, _ in
      group.task == task && group.algorithm == .raRLHF
    }
    guard !groups.isEmpty else { return nil }
    // The settings that tell schedules apart beyond n, α and ρ, if any.
    let models = data.models
    let settings = Dictionary(
      uniqueKeysWithValues: groups.keys.map { group in
        (group, RunSettings.labelParts(models[group]?.settings ?? [:]))
      })
    let settingsColumn = settings.values.contains { !$0.isEmpty }
    let columns =
      [Table.Column("n"), Table.Column("α"), Table.Column("ρ")]
      + (settingsColumn ? [Table.Column("Settings")] : [])
      + metrics.map { Table.Column($0.title, better: $0.better) }
    let rows = groups.keys.sorted().map { group -> [Table.Cell] in
      let runs = groups[group] ?? []
      var schedule: [Table.Cell] = [
        .text(group.warmStart.map(String.init) ?? ""),
        .text(NumberText.parameter(group.alpha)),
        .text(NumberText.parameter(group.rho)),
      ]
      if settingsColumn {
        schedule.append(.text((settings[group] ?? []).joined(separator: ", ")))
      }
      return schedule
        + metrics.map { metric in
          estimateCell(runs.compactMap { $0.metrics[metric.rawValue] })
        }
    }
    return Table(
      name: data.tasks.count > 1 ? "schedule-\(task)" : "schedule",
      title: "RA-RLHF schedule ablation on \(TaskName.display(task))",
      columns: columns, rows: rows)
  }

  /// One row per run, whatever its status: configuration, status,
  /// iterations recorded of planned, and final metrics.
  public static func perRun(_ data: ReportData) -> Table {
    let metrics: [EvaluationMetric] = [
      .reward, .tailReward, .perplexity, .judgeReward,
    ]
    let columns =
      ["Run", "Task", "Algorithm", "n", "α", "ρ", "Seed", "Status", "Iterations"]
      .map { Table.Column($0) } + metrics.map { Table.Column($0.title) }
    let runs = data.runs.sorted { ($0.group, $0.seed, $0.id) < ($1.group, $1.seed, $1.id) }
    let rows = runs.map { run -> [Table.Cell] in
      let planned = run.iterationsPlanned.map { "/\($0)" } ?? ""
      let configuration: [Table.Cell] = [
        .text(run.name), .text(TaskName.display(run.task)),
        .text(run.algorithm.displayName),
        .text(run.warmStart.map(String.init) ?? ""),
        .text(NumberText.parameter(run.alpha)),
        .text(NumberText.parameter(run.rho)), .text(String(run.seed)),
        .text(run.status), .text("\(run.iterationsRecorded)\(planned)"),
      ]
      return configuration
        + metrics.map { metric in
          run.metrics[metric.rawValue].map(Table.Cell.number) ?? .missing
        }
    }
    return Table(name: "runs", title: "Runs", columns: columns, rows: rows)
  }

  // MARK: - Shared layout

  /// A table with a `Model` column and one row per model configuration;
  /// `samples(runs, column)` gives the per-seed values of data column
  /// `column` (columns grouped by task, `columns.count / tasks` per task).
  private static func modelTable(
    _ data: ReportData, name: String, title: String, columns: [Table.Column],
    samples: ([RunSummary], Int) -> [Double]
  ) -> Table {
    let tasks = data.tasks
    let perTask = tasks.isEmpty ? 0 : columns.count / tasks.count
    let models = data.models
    var runs: [RunGroup: [String: [RunSummary]]] = [:]
    for (group, members) in data.finishedGroups {
      if let model = models[group] { runs[model, default: [:]][group.task] = members }
    }
    let labels = data.rowLabels()
    let rows = labels.keys.sorted().map { model -> [Table.Cell] in
      var cells: [Table.Cell] = [.text(labels[model] ?? "")]
      for index in columns.indices {
        let task = tasks[index / perTask]
        cells.append(estimateCell(samples(runs[model]?[task] ?? [], index)))
      }
      return cells
    }
    return Table(
      name: name, title: title, columns: [Table.Column("Model")] + columns,
      rows: rows)
  }

  private static func estimateCell(_ samples: [Double]) -> Table.Cell {
    Estimate(samples: samples).map(Table.Cell.estimate) ?? .missing
  }
}
