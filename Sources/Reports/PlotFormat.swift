/// The file formats of figures.
public enum PlotFormat: String, CaseIterable, Sendable, Hashable {
  /// PDF through gnuplot's `pdfcairo` terminal, fonts embedded.
  case pdf
  /// SVG through gnuplot's `svg` terminal, the font embedded as a data URI.
  case svg
  /// PNG at 300 dpi through gnuplot's `pngcairo` terminal.
  case png

  /// The format named `name` (`pdf`, `svg`, `png`).
  ///
  /// - Throws: `ReportError.unknownPlotFormat` for any other name.
  public init(parsing name: String) throws(ReportError) {
    guard let format = PlotFormat(rawValue: name) else {
      throw ReportError.unknownPlotFormat(name)
    }
    self = format
  }
}
