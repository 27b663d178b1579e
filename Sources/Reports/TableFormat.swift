/// The file formats of tables.
public enum TableFormat: String, CaseIterable, Sendable, Hashable {
  /// GitHub-flavoured Markdown.
  case markdown = "md"
  /// LaTeX with booktabs.
  case latex = "tex"
  /// RFC 4180 CSV with full precision.
  case csv

  /// The format named `name` (`md`, `tex`, `csv`).
  ///
  /// - Throws: `ReportError.unknownTableFormat` for any other name.
  public init(parsing name: String) throws(ReportError) {
    guard let format = TableFormat(rawValue: name) else {
      throw ReportError.unknownTableFormat(name)
    }
    self = format
  }

  /// The file name extension, without the dot.
  public var fileExtension: String { rawValue }

  /// `table` rendered in this format.
  public func render(_ table: Table) -> String {
    switch self {
    case .markdown: return table.markdown()
    case .latex: return table.latex()
    case .csv: return table.csv()
    }
  }
}
