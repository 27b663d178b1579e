import Configuration

/// The exact runs of a sweep, in order, ready to be recorded and run; its
/// `description` is the `--dry-run` listing.
public struct SweepPlan: Sendable, Equatable, CustomStringConvertible {
  /// The sweep's name.
  public let sweepName: String
  /// The sweep file.
  public let file: String
  /// The method that chose the runs.
  public let method: SweepMethod
  /// The runs, distinct by identity, in plan order: the grid (first
  /// parameter varying slowest), then `include` entries.
  public let runs: [PlannedRun]

  /// Keys with different values in the runs they are part of, in registry
  /// order with `seed` last: the columns of the listing.
  public var varyingKeys: [String] {
    let keys = ConfigurationKey.all.map(\.name).filter { name in
      Set(runs.compactMap { $0.value(of: name) }).count > 1
    }
    return keys.filter { $0 != "seed" } + keys.filter { $0 == "seed" }
  }

  /// A table of the runs: number, the varying keys (`-` where a key is not
  /// part of a run), identity prefix and name.
  ///
  ///     sweep 'default' (experiments/default.yaml, grid): 9 runs
  ///     #  algorithm  risk.alpha  seed  name
  ///     1  rlhf       -           1     imdb-rlhf-s1-0c5e…
  public var description: String {
    let columns = varyingKeys
    let header = ["#"] + columns + ["name"]
    let rows = runs.enumerated().map { index, run in
      ["\(index + 1)"] + columns.map { run.value(of: $0)?.description ?? "-" }
        + [run.name]
    }
    let widths = header.indices.map { column in
      ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    let lines = ([header] + rows).map { row in
      zip(row, widths).enumerated().map { column, cell in
        column == row.count - 1
          ? cell.0
          : cell.0 + String(repeating: " ", count: cell.1 - cell.0.count)
      }.joined(separator: "  ")
    }
    let methodText: String =
      switch method {
      case .grid: "grid"
      case .random(let count, let seed): "random, count \(count), seed \(seed)"
      }
    let count = runs.count == 1 ? "1 run" : "\(runs.count) runs"
    return "sweep '\(sweepName)' (\(file), \(methodText)): \(count)\n"
      + lines.joined(separator: "\n")
  }
}
