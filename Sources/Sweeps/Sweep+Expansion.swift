import Configuration
import TextData
import YAML

/// Expansion of a sweep into its exact runs.
extension Sweep {
  /// The runs of the sweep, resolved and validated, in a fixed order.
  ///
  /// 1. The grid: every combination of the parameters' values, the first
  ///    parameter varying slowest; `risk.*` parameters multiply only
  ///    RA-RLHF runs. A random sweep draws `count` distinct combinations
  ///    of the parameters other than `seed`, then runs each for every seed;
  ///    when a parameter has a distribution, each of the `count`
  ///    configurations instead draws every parameter independently.
  /// 2. `exclude` entries remove grid runs whose settings, as written in
  ///    the file, have all the entry's values.
  /// 3. `include` entries add runs: each sets its keys and takes every
  ///    combination of the parameters it does not set.
  /// 4. `overrides` (`key=value`) replace the file's values in every run
  ///    they apply to; runs that became the same run merge.
  ///
  /// - Parameters:
  ///   - overrides: `key=value` texts from the command line, in order.
  ///   - availablePrompts: training prompts per task, for the checks that
  ///     need M (n < ⌈ρM⌉, at least one iteration); a task without an
  ///     entry is checked only as far as its settings allow.
  /// - Throws: `SweepError` for bad overrides, a configuration that breaks
  ///   a rule, a risk parameter without RA-RLHF runs, an exclude entry that
  ///   matches nothing, a `count` above the grid size, or an empty plan.
  public func plan(
    overrides: [String] = [], availablePrompts: [TaskName: Int] = [:]
  ) throws(SweepError) -> SweepPlan {
    var extra = SweepCell.empty
    for text in overrides {
      let assignment = try Self.configuration { () throws(ConfigurationError) in
        try ConfigurationAssignment(override: text)
      }
      extra = extra.adding(assignment, try Self.typed(assignment))
    }
    var base = SweepCell.empty
    for assignment in fixed {
      base = base.adding(assignment, try Self.typed(assignment))
    }

    try checkGridSize()
    var grid = try gridCells(from: base, overrides: extra)
    var excluded = Array(repeating: false, count: excludes.count)
    grid.removeAll { cell in
      let matches = excludes.indices.filter { cell.matches(excludes[$0]) }
      for index in matches { excluded[index] = true }
      return !matches.isEmpty
    }
    if let unmatched = excluded.firstIndex(of: false) {
      throw .excludeMatchesNothing(at: excludes[unmatched].mark)
    }
    var cells = grid.map { (cell: $0, origin: PlannedRun.Origin.grid) }
    for (index, entry) in includes.enumerated() {
      var start = base
      for (assignment, value) in zip(entry.assignments, entry.typed) {
        start = start.adding(assignment, value)
      }
      try Self.checkApplicable(entry, algorithm: start.algorithm)
      let free = axes.filter { axis in
        !entry.assignments.contains { $0.key == axis.key }
      }
      if let axis = free.first(where: { $0.distribution != nil }) {
        throw .invalidField(
          "include", got: "an entry without '\(axis.key)'",
          allowed: "entries that set every parameter drawn from a distribution",
          at: entry.mark)
      }
      cells += start.expanded(over: free, overrides: extra).map {
        ($0, .include(index))
      }
    }
    try checkRiskAxes(cells.map { $0.cell.appending(extra) })
    guard !cells.isEmpty else {
      throw .emptyGrid(
        reason: "every run is excluded", at: excludes.first?.mark ?? mark)
    }

    var runs: [PlannedRun] = []
    var identities: Set<String> = []
    for (cell, origin) in cells {
      let final = cell.appending(extra).applicable()
      let prompts = final.task.flatMap { availablePrompts[$0] }
      let configuration = try Self.configuration {
        () throws(ConfigurationError) in
        try RunConfiguration.resolve(
          final.assignments, availablePrompts: prompts)
      }
      let run = PlannedRun(configuration: configuration, origin: origin)
      if identities.insert(run.identity).inserted { runs.append(run) }
    }
    return SweepPlan(sweepName: name, file: file, method: method, runs: runs)
  }

  /// The grid (or the random draw from it), before exclusion.
  private func gridCells(
    from base: SweepCell, overrides: SweepCell
  ) throws(SweepError) -> [SweepCell] {
    switch method {
    case .grid:
      return base.expanded(over: axes, overrides: overrides)
    case .random(let count, let seed):
      var sampler = SeededSampler(seed: seed)
      let seeds = axes.filter { $0.key == "seed" && $0.distribution == nil }
      let drawn = axes.filter { $0.key != "seed" || $0.distribution != nil }
      if drawn.contains(where: { $0.distribution != nil }) {
        // Any distribution: each configuration draws every parameter on its
        // own, values uniformly from their list, as W&B does.
        return (0..<count).flatMap { _ in
          var cell = base
          for axis in drawn {
            let (assignment, value) = axis.draw(using: &sampler)
            cell = cell.adding(assignment, value)
          }
          return cell.expanded(over: seeds, overrides: overrides)
        }
      }
      let configurations = base.expanded(over: drawn, overrides: overrides)
      guard count <= configurations.count else {
        throw .countExceedsGrid(
          count: count, configurations: configurations.count,
          at: countMark ?? mark)
      }
      return sampler.choose(count, of: configurations.count).flatMap {
        configurations[$0].expanded(over: seeds, overrides: overrides)
      }
    }
  }

  /// Refuses a grid larger than `Sweep.maximumGrid` before building it.
  private func checkGridSize() throws(SweepError) {
    var size = 1
    for axis in axes where axis.distribution == nil {
      let (product, overflow) = size.multipliedReportingOverflow(
        by: axis.typed.count)
      size = overflow ? Int.max : product
    }
    guard size <= Self.maximumGrid else {
      let shown = size == Int.max ? "more than \(Int.max)" : "\(size)"
      throw .invalidField(
        "parameters", got: "a grid of \(shown) combinations",
        allowed: "at most \(Self.maximumGrid)", at: axes.first?.keyMark ?? mark)
    }
  }

  /// Refuses an `include` entry that sets `algorithm: rlhf` and a `risk.*`
  /// key, which the run would ignore.
  private static func checkApplicable(
    _ entry: SweepEntry, algorithm: Algorithm
  ) throws(SweepError) {
    guard entry.assignments.contains(where: { $0.key == "algorithm" }) else {
      return
    }
    for assignment in entry.assignments {
      guard let key = ConfigurationKey.named(assignment.key),
        !key.applies(to: algorithm)
      else { continue }
      throw .configuration(
        .notApplicable(
          key: key.name, algorithm: key.algorithm?.rawValue ?? "",
          at: assignment.keyMark ?? assignment.mark))
    }
  }

  /// Refuses `risk.*` parameters when no run is RA-RLHF, even after the
  /// overrides.
  private func checkRiskAxes(_ cells: [SweepCell]) throws(SweepError) {
    guard !cells.contains(where: { $0.algorithm == .raRLHF }) else { return }
    for axis in axes
    where ConfigurationKey.named(axis.key)?.algorithm == .raRLHF {
      throw .riskKeyWithoutRiskRuns(axis.key, at: axis.keyMark)
    }
  }
}
