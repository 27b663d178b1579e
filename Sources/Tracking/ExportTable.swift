/// A CSV export of the store, for `rarlhf db export --csv`.
public enum ExportTable: String, CaseIterable, Hashable, Sendable {
  /// Every episode with its run name and prompt text (`episode_texts`).
  case episodes
  /// Every iteration with one column per statistic name.
  case iterations
  /// Every evaluation metric of every run and set.
  case evaluations

  /// The file name of the export: `episodes.csv`, ...
  public var fileName: String { rawValue + ".csv" }
}
