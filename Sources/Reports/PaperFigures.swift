import Foundation

/// The paper's figures built from report data, one set per task.
///
/// Only finished runs are drawn. Each algorithm keeps one hue
/// (`Algorithm.colour`) in every figure; several schedules of one
/// algorithm differ by shade and dash type. A figure with nothing to draw
/// is left out rather than drawn empty.
public enum PaperFigures {
  /// The training statistics drawn as curves: store name, file-name slug
  /// and y-axis label.
  public static let trainingStatistics: [(name: String, slug: String, label: String)] = [
    ("env/reward_mean", "reward", "Environment reward"),
    ("return_mean", "return-batch", "Return (whole batch)"),
    ("return_mean_kept", "return-kept", "Return (kept episodes)"),
    ("objective/kl", "kl", "KL"),
    ("objective/kl_coef", "beta", "KL coefficient β"),
    ("tokens/responses_len_mean", "length", "Response length (tokens)"),
    ("env/reward_std", "reward-std", "Reward std"),
  ]

  /// Every figure for every task of the finished runs.
  public static func all(_ data: ReportData) -> [Figure] {
    data.tasks.flatMap { task in
      trainingStatistics.compactMap {
        trainingCurve(data, task: task, statistic: $0.name)
      }
        + [
          riskSchedule(data, task: task), distributions(data, task: task),
          quantileCurves(data, task: task), tailRewardAgainstAlpha(data, task: task),
        ].compactMap { $0 }
    }
  }

  // MARK: - Training

  /// A training statistic per iteration: the seed mean with a ± sample std
  /// band, one curve per RL configuration; `nil` when no run recorded it.
  /// - Parameter statistic: a name from `trainingStatistics`.
  public static func trainingCurve(
    _ data: ReportData, task: String, statistic: String
  ) -> Figure? {
    let entry = trainingStatistics.first { $0.name == statistic }
    let series = configurations(data, task: task).compactMap { group, runs, style in
      let seeds = runs.compactMap { data.curves[$0.id]?[statistic] }
      guard !seeds.isEmpty else { return nil as Figure.Series? }
      let points = RiskStatistics.seedBand(seeds).map {
        Figure.Point(
          x: Double($0.iteration), y: $0.estimate.mean,
          spread: $0.estimate.standardDeviation)
      }
      return Figure.Series(
        title: style.title, colour: style.colour, dash: style.dash,
        kind: .band(points))
    }
    guard !series.isEmpty else { return nil }
    let slug = entry?.slug ?? slugify(statistic)
    return Figure(
      name: "curve-\(task)-\(slug)",
      panels: [
        Figure.Panel(
          title: TaskName.display(task), xLabel: "Iteration",
          yLabel: entry?.label ?? statistic, xRange: iterationRange(of: series),
          xTicStep: iterationStep(of: series), yTicStep: ticStep(of: series),
          series: series)
      ])
  }

  /// Kept episodes α′ per iteration for each RA-RLHF schedule (n, α, ρ).
  public static func riskSchedule(_ data: ReportData, task: String) -> Figure? {
    let series = configurations(data, task: task).compactMap { group, runs, style in
      guard group.algorithm == .raRLHF else { return nil as Figure.Series? }
      let seeds = runs.compactMap { data.curves[$0.id]?["kept_count"] }
      guard !seeds.isEmpty else { return nil }
      let points = RiskStatistics.seedBand(seeds).map {
        Figure.Point(x: Double($0.iteration), y: $0.estimate.mean)
      }
      return Figure.Series(
        title: group.scheduleText, colour: style.colour,
        dash: style.dash, kind: .line(points))
    }
    guard !series.isEmpty else { return nil }
    return Figure(
      name: "schedule-\(task)",
      panels: [
        Figure.Panel(
          title: TaskName.display(task), xLabel: "Iteration",
          yLabel: "Kept episodes α′", xRange: iterationRange(of: series),
          xTicStep: iterationStep(of: series), series: series)
      ])
  }

  // MARK: - Evaluation

  /// Histograms of the prompts' own scores and, per SFT, RLHF and RA-RLHF
  /// configuration, of completion rewards (all seeds pooled), each split
  /// by prompt class; densities, with one bin width for the scores and one
  /// shared by all reward panels, so the models compare bin for bin.
  public static func distributions(_ data: ReportData, task: String) -> Figure? {
    var promptScores: [Int64: (score: Double, kind: String?)] = [:]
    var rewards: [(title: String, colour: String, values: [(Double, String?)])] = []
    for (group, runs, style) in configurations(data, task: task)
    where group.algorithm != .base {
      let episodes = runs.flatMap { data.evaluationEpisodes[$0.id] ?? [] }
      guard !episodes.isEmpty else { continue }
      for episode in episodes {
        if let score = episode.promptScore, promptScores[episode.promptRef] == nil {
          promptScores[episode.promptRef] = (score, episode.promptClass)
        }
      }
      rewards.append(
        (style.title, style.colour, episodes.map { ($0.reward, $0.promptClass) }))
    }
    guard !rewards.isEmpty else { return nil }
    let scores = promptScores.sorted { $0.key < $1.key }.map { ($0.value.score, $0.value.kind) }
    let classes = Array(Set((scores + rewards.flatMap(\.values)).map { $0.1 ?? "" })).sorted()
    let rewardWidth = binWidth(rewards.flatMap { $0.values.map(\.0) })
    var panels = rewards.map { panel in
      histogramPanel(
        title: panel.title, xLabel: "Reward", colour: panel.colour,
        values: panel.values, classes: classes, width: rewardWidth)
    }
    if !scores.isEmpty {
      panels.insert(
        histogramPanel(
          title: "Prompt scores", xLabel: "Score", colour: "#000000", values: scores,
          classes: classes, width: binWidth(scores.map(\.0))),
        at: 0)
    }
    let columns = min(panels.count, 2)
    let rows = (panels.count + columns - 1) / columns
    return Figure(
      name: "distribution-\(task)", panels: panels, columns: columns,
      width: Figure.textWidth, height: 2.0 * Double(rows))
  }

  /// One histogram per prompt class, the first filled, the others as
  /// outlines with their own dash type.
  private static func histogramPanel(
    title: String, xLabel: String, colour: String, values: [(Double, String?)],
    classes: [String], width: Double
  ) -> Figure.Panel {
    let finite = values.map(\.0).filter(\.isFinite)
    let span = (finite.max() ?? 0) - (finite.min() ?? 0)
    var tallest = 0.0
    let series = classes.enumerated().map { index, name in
      let members = values.filter { ($0.1 ?? "") == name }.map(\.0)
      tallest = max(tallest, largestDensity(members, width: width))
      return Figure.Series(
        title: name.isEmpty ? "no class" : name, colour: colour, dash: 1 + index % 5,
        kind: .histogram(values: members, binWidth: width, filled: index == 0))
    }
    return Figure.Panel(
      title: title, xLabel: xLabel, yLabel: "Density",
      xTicStep: span > 0 ? niceStep(span + width) : nil,
      yTicStep: tallest > 0 ? niceStep(tallest) : nil, series: series)
  }

  /// A bin width giving about 20 bins over the values' span; 1 when the
  /// span is zero.
  private static func binWidth(_ values: [Double]) -> Double {
    let finite = values.filter(\.isFinite)
    let span = (finite.max() ?? 0) - (finite.min() ?? 0)
    return span > 0 ? span / 20 : 1
  }

  /// The tallest density bar of `values` in bins of `width`, to choose
  /// readable y tics (gnuplot does the binning that is drawn).
  private static func largestDensity(_ values: [Double], width: Double) -> Double {
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty else { return 0 }
    let counts = Dictionary(grouping: finite) { ($0 / width).rounded(.down) }
    let largest = counts.values.map(\.count).max() ?? 0
    return Double(largest) / (Double(finite.count) * width)
  }

  /// A 1, 2 or 5 × 10ᵏ step giving about four tics over `span` (> 0).
  static func niceStep(_ span: Double) -> Double {
    let raw = span / 4
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let residual = raw / magnitude
    let factor: Double = residual < 1.5 ? 1 : residual < 3.5 ? 2 : residual < 7.5 ? 5 : 10
    return factor * magnitude
  }

  /// Mean completion reward over the worst q % of prompts (ranked by their
  /// own score) for q = 1…100, one curve per configuration, seed mean with
  /// a ± std band.
  public static func quantileCurves(_ data: ReportData, task: String) -> Figure? {
    let series = configurations(data, task: task).compactMap { group, runs, style in
      let curves = runs.map {
        RiskStatistics.quantileCurve(data.evaluationEpisodes[$0.id] ?? [])
      }.filter { !$0.isEmpty }
      guard !curves.isEmpty else { return nil as Figure.Series? }
      let seeds = curves.map { curve in
        curve.enumerated().map { CurvePoint(iteration: $0.offset + 1, value: $0.element) }
      }
      let points = RiskStatistics.seedBand(seeds).map {
        Figure.Point(
          x: Double($0.iteration), y: $0.estimate.mean,
          spread: $0.estimate.standardDeviation)
      }
      return Figure.Series(
        title: style.title, colour: style.colour, dash: style.dash,
        kind: .band(points))
    }
    guard !series.isEmpty else { return nil }
    return Figure(
      name: "quantile-\(task)",
      panels: [
        Figure.Panel(
          title: TaskName.display(task), xLabel: "Worst q % of prompts",
          yLabel: "Average reward", xRange: 1...100, yTicStep: ticStep(of: series),
          series: series)
      ])
  }

  /// Tail reward against α for RA-RLHF (one line per (n, ρ), seed mean
  /// with ± std error bars) and RLHF as a horizontal reference.
  public static func tailRewardAgainstAlpha(_ data: ReportData, task: String) -> Figure? {
    let metric = EvaluationMetric.tailReward.rawValue
    let groups = data.finishedGroups.filter { $0.key.task == task }
    let risky = groups.filter { $0.key.algorithm == .raRLHF && $0.key.alpha != nil }
    let models = data.models
    func line(of group: RunGroup) -> RunGroup.Schedule {
      RunGroup.Schedule(
        n: group.warmStart, rho: group.rho, settings: models[group]?.settings ?? [:])
    }
    let schedules = Set(risky.keys.map(line(of:)))
    var series: [Figure.Series] = []
    for (index, schedule) in schedules.sorted().enumerated() {
      let points = risky.filter { line(of: $0.key) == schedule }.compactMap {
        group, runs -> Figure.Point? in
        guard let alpha = group.alpha,
          let estimate = Estimate(samples: runs.compactMap { $0.metrics[metric] })
        else { return nil }
        return Figure.Point(x: alpha, y: estimate.mean, spread: estimate.standardDeviation)
      }.sorted { $0.x < $1.x }
      guard !points.isEmpty else { continue }
      var parts: [String] = []
      if let n = schedule.n { parts.append("n=\(n)") }
      if let rho = schedule.rho { parts.append("ρ=\(NumberText.parameter(rho))") }
      parts += RunSettings.labelParts(schedule.settings)
      series.append(
        Figure.Series(
          title: "RA-RLHF (\(parts.joined(separator: ", ")))",
          colour: shade(of: Algorithm.raRLHF.colour, variant: index), dash: 1 + index % 5,
          kind: .errorBars(points)))
    }
    guard !series.isEmpty else { return nil }
    let labels = data.groupLabels()
    let references = groups.keys.filter { $0.algorithm == .rlhf }.sorted()
    for (index, group) in references.enumerated() {
      let runs = groups[group] ?? []
      if let estimate = Estimate(samples: runs.compactMap { $0.metrics[metric] }) {
        series.append(
          Figure.Series(
            title: labels[group] ?? "RLHF",
            colour: shade(of: Algorithm.rlhf.colour, variant: index), dash: 2,
            kind: .horizontalLine(estimate.mean)))
      }
    }
    // An explicit x range, so the RLHF line spans the padded panel.
    let alphas = risky.keys.compactMap(\.alpha)
    let low = alphas.min() ?? 0
    let high = alphas.max() ?? 1
    let pad = max(0.05, (high - low) / 10)
    return Figure(
      name: "tail-alpha-\(task)",
      panels: [
        Figure.Panel(
          title: TaskName.display(task), xLabel: "α", yLabel: "Tail reward",
          xRange: (low - pad)...(high + pad), series: series)
      ])
  }

  // MARK: - Shared

  /// How a configuration is drawn: its key title, colour and dash type.
  private typealias Style = (title: String, colour: String, dash: Int)

  /// The finished configurations of a task in table order, with their
  /// runs and style. Configurations of one algorithm (several α, say)
  /// share its hue: the first has the algorithm's colour, the next ones a
  /// darker and a lighter shade of it, and dash types count up, so noisy
  /// curves stay apart where dashes alone would blur.
  private static func configurations(
    _ data: ReportData, task: String
  ) -> [(group: RunGroup, runs: [RunSummary], style: Style)] {
    let groups = data.finishedGroups.filter { $0.key.task == task }
    let labels = data.groupLabels()
    var counts: [Algorithm: Int] = [:]
    return groups.keys.sorted().map { group in
      let index = counts[group.algorithm, default: 0]
      counts[group.algorithm] = index + 1
      let title = labels[group] ?? group.algorithm.displayName
      let colour = shade(of: group.algorithm.colour, variant: index)
      return (group, groups[group] ?? [], (title, colour, 1 + index % 5))
    }
  }

  /// `colour` (`#RRGGBB`) for variant 0, then alternately 40 % darker
  /// (towards black) and 45 % lighter (towards white), deeper each round.
  static func shade(of colour: String, variant: Int) -> String {
    guard variant > 0, colour.count == 7,
      let value = Int(colour.dropFirst(), radix: 16)
    else { return colour }
    let round = Double((variant + 1) / 2)
    let darker = variant % 2 == 1
    let amount = min(0.9, (darker ? 0.4 : 0.45) * round)
    let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map {
      let channel = Double($0)
      let target = darker ? 0.0 : 255.0
      return Int((channel + (target - channel) * amount).rounded())
    }
    return "#" + channels.map { String(format: "%02X", $0) }.joined()
  }

  /// The first to the last iteration drawn, so the x axis ends with the
  /// data; `nil` when no series has points.
  private static func iterationRange(of series: [Figure.Series]) -> ClosedRange<Double>? {
    let xs = series.flatMap { points(of: $0).map(\.x) }
    guard let low = xs.min(), let high = xs.max(), high > low else { return nil }
    return low...high
  }

  /// An x tic step for an iteration axis: a whole number of iterations,
  /// at least 1, so short runs get no tics between iterations.
  private static func iterationStep(of series: [Figure.Series]) -> Double {
    guard let range = iterationRange(of: series) else { return 1 }
    return max(1, niceStep(range.upperBound - range.lowerBound).rounded())
  }

  /// A y tic step giving four or five labelled tics over the drawn values
  /// with their ± spread; `nil` when they span nothing.
  private static func ticStep(of series: [Figure.Series]) -> Double? {
    let ys = series.flatMap { points(of: $0) }.flatMap { point in
      [point.y - (point.spread ?? 0), point.y + (point.spread ?? 0)]
    }.filter(\.isFinite)
    guard let low = ys.min(), let high = ys.max(), high > low else { return nil }
    return niceStep(high - low)
  }

  private static func points(of series: Figure.Series) -> [Figure.Point] {
    switch series.kind {
    case .line(let points), .band(let points), .errorBars(let points): return points
    default: return []
    }
  }

  private static func slugify(_ name: String) -> String {
    String(name.map { $0.isLetter || $0.isNumber ? Character($0.lowercased()) : "-" })
  }
}
