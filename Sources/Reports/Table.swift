/// A results table: a title, columns and rows of cells, rendered to
/// Markdown, LaTeX or CSV.
///
/// Rows are arrays of cells, one per column, in column order. The renderers
/// show missing cells and NaN values as such, never as zero, and label an
/// estimate whose seed count is below the largest count in its column.
public struct Table: Sendable, Hashable {
  /// The file stem (`main`, `schedule`, …) and the LaTeX label suffix.
  public var name: String
  /// The caption.
  public var title: String
  /// The columns, left to right.
  public var columns: [Column]
  /// The rows; each holds exactly `columns.count` cells.
  public var rows: [[Cell]]

  /// A table; every row must have one cell per column.
  ///
  /// - Parameters:
  ///   - name: the file stem, e.g. `main`.
  ///   - title: the caption.
  ///   - columns: the columns, left to right.
  ///   - rows: `[rowCount][columns.count]` cells, row-major.
  public init(name: String, title: String, columns: [Column], rows: [[Cell]]) {
    for row in rows {
      precondition(
        row.count == columns.count,
        "a row has \(row.count) cells for \(columns.count) columns")
    }
    self.name = name
    self.title = title
    self.columns = columns
    self.rows = rows
  }

  // MARK: - Columns and cells

  /// Which direction of a metric is better.
  public enum Better: Sendable, Hashable {
    /// Higher is better (↑).
    case higher
    /// Lower is better (↓).
    case lower
  }

  /// A column: a name, an optional unit, group and better-direction.
  public struct Column: Sendable, Hashable {
    /// The header text, e.g. `Reward`.
    public var name: String
    /// The unit, shown in parentheses after the name; `nil` for none.
    public var unit: String?
    /// The better direction, shown as ↑/↓; best values are set in bold.
    public var better: Better?
    /// A group spanning adjacent columns (a task name), or `nil`.
    public var group: String?
    /// Decimal places for Markdown and LaTeX (CSV keeps full precision).
    public var decimals: Int

    /// A column.
    ///
    /// - Parameters:
    ///   - name: the header text.
    ///   - unit: the unit, or `nil`.
    ///   - better: the better direction, or `nil` for none.
    ///   - group: the group header (a task), or `nil`.
    ///   - decimals: decimal places in Markdown and LaTeX, 0…10.
    public init(
      _ name: String, unit: String? = nil, better: Better? = nil,
      group: String? = nil, decimals: Int = 2
    ) {
      precondition((0...10).contains(decimals), "decimals must be in 0…10")
      self.name = name
      self.unit = unit
      self.better = better
      self.group = group
      self.decimals = decimals
    }
  }

  /// One cell. NaN is a `number` or an `estimate` whose mean is NaN.
  public enum Cell: Sendable, Hashable {
    /// A mean ± sample standard deviation over seeds, with the seed count.
    case estimate(Estimate)
    /// A single value.
    case number(Double)
    /// Text, e.g. a model name or a configuration value.
    case text(String)
    /// No value (not measured, or no run finished).
    case missing

    /// The value compared when choosing the best cell of a column.
    var comparable: Double? {
      switch self {
      case .estimate(let estimate):
        return estimate.mean.isNaN ? nil : estimate.mean
      case .number(let value): return value.isNaN ? nil : value
      case .text, .missing: return nil
      }
    }
  }

  // MARK: - Shared rendering decisions

  /// Whether the column holds numbers (estimates or plain numbers).
  func isNumeric(column: Int) -> Bool {
    rows.contains { row in
      switch row[column] {
      case .estimate, .number: return true
      case .text, .missing: return false
      }
    }
  }

  /// Whether the column holds at least one estimate.
  func hasEstimates(column: Int) -> Bool {
    rows.contains { row in
      if case .estimate = row[column] { return true }
      return false
    }
  }

  /// The largest seed count among the estimates of a column.
  func largestCount(column: Int) -> Int {
    rows.reduce(0) { largest, row in
      if case .estimate(let estimate) = row[column] {
        return max(largest, estimate.count)
      }
      return largest
    }
  }

  /// Whether `rows[row][column]` is the best value of its column.
  ///
  /// Ties at the displayed precision are all best, so two cells that read
  /// the same are both bold.
  func isBest(row: Int, column: Int) -> Bool {
    guard let better = columns[column].better,
      let value = rows[row][column].comparable
    else { return false }
    let values = rows.compactMap { $0[column].comparable }
    guard
      let best = better == .higher ? values.max() : values.min()
    else { return false }
    let decimals = columns[column].decimals
    return NumberText.fixed(value, decimals: decimals)
      == NumberText.fixed(best, decimals: decimals)
  }

  /// The seed-count label of a cell, e.g. `n=2`, or `nil` if it has the
  /// column's largest count (or is not an estimate).
  func countLabel(row: Int, column: Int) -> String? {
    guard case .estimate(let estimate) = rows[row][column] else { return nil }
    return estimate.count < largestCount(column: column)
      ? "n=\(estimate.count)" : nil
  }
}
