import Foundation
import Tracking

/// The whole report of one or more sweeps: every table in every table
/// format and every figure in every plot format.
///
/// ```swift
/// let report = Report(
///   tablesDirectory: URL(fileURLWithPath: "results"),
///   plotsDirectory: URL(fileURLWithPath: "plots"),
///   tableFormats: [.markdown, .latex], plotFormats: [.pdf])
/// let written = try report.write(from: store, sweeps: ["paper-imdb"])
/// ```
public struct Report: Sendable {
  /// Where tables go, as `name.md`, `name.tex`, `name.csv`.
  public var tablesDirectory: URL
  /// Where figures go, as `name.pdf`, `name.svg`, `name.png`.
  public var plotsDirectory: URL
  /// The table formats to write; empty for no tables.
  public var tableFormats: [TableFormat]
  /// The plot formats to write; empty for no figures.
  public var plotFormats: [PlotFormat]
  /// Only evaluation episodes of this `eval_set`; `nil` for all.
  public var evaluationSet: String?
  /// The gnuplot driver.
  public var gnuplot: Gnuplot

  /// A report configuration; see the properties.
  public init(
    tablesDirectory: URL, plotsDirectory: URL,
    tableFormats: [TableFormat] = TableFormat.allCases,
    plotFormats: [PlotFormat] = PlotFormat.allCases, evaluationSet: String? = nil,
    gnuplot: Gnuplot = Gnuplot()
  ) {
    self.tablesDirectory = tablesDirectory
    self.plotsDirectory = plotsDirectory
    self.tableFormats = tableFormats
    self.plotFormats = plotFormats
    self.evaluationSet = evaluationSet
    self.gnuplot = gnuplot
  }

  /// Reads the sweeps from `store` and writes every table and figure.
  ///
  /// - Parameter sweeps: sweep names, at least one.
  /// - Returns: the paths written: tables (in `tableFormats` order per
  ///   table), then figures.
  /// - Throws: `ReportError.noFinishedRuns` when no run of the sweeps is
  ///   `done`, `.noSweeps`, `.unknownSweep`, `.ambiguousMetric`, `.store`,
  ///   and the errors of `write(_:)`.
  public func write(from store: Store, sweeps: [String]) throws(ReportError) -> [URL] {
    let data = try ReportData(store: store, sweeps: sweeps, evaluationSet: evaluationSet)
    return try write(data)
  }

  /// Writes every table and figure of `data`.
  ///
  /// Everything is computed before anything is written, and figures are
  /// drawn into a staging folder first, so a gnuplot failure leaves no
  /// figure behind; tables are written after the figures succeeded.
  /// - Throws: `ReportError.noFinishedRuns`, `.gnuplotNotFound`,
  ///   `.gnuplotFailed`, `.fontNotFound`, `.cannotWrite`.
  public func write(_ data: ReportData) throws(ReportError) -> [URL] {
    guard !data.finishedRuns.isEmpty else { throw .noFinishedRuns(sweeps: data.sweeps) }
    let tables = tableFormats.isEmpty ? [] : Self.tables(for: data)
    let figures = plotFormats.isEmpty ? [] : PaperFigures.all(data)
    var rendered: [(url: URL, text: String)] = []
    for table in tables {
      for format in tableFormats {
        let url = tablesDirectory.appendingPathComponent(
          "\(table.name).\(format.fileExtension)")
        rendered.append((url, format.render(table)))
      }
    }

    var written: [URL] = []
    if !figures.isEmpty {
      try Self.createDirectory(plotsDirectory)
      written += try gnuplot.render(figures, formats: plotFormats, to: plotsDirectory)
    }
    if !rendered.isEmpty { try Self.createDirectory(tablesDirectory) }
    for (url, text) in rendered {
      do {
        try Data(text.utf8).write(to: url, options: .atomic)
      } catch {
        throw .cannotWrite(path: url.path, reason: error.localizedDescription)
      }
    }
    return rendered.map(\.url) + written
  }

  /// The tables of a report: the main table, CVaR (when evaluation
  /// episodes or stored CVaR metrics exist), one schedule ablation per
  /// task with RA-RLHF runs, and the per-run table.
  public static func tables(for data: ReportData) -> [Table] {
    var tables = [PaperTables.main(data)]
    let hasTails = data.finishedRuns.contains {
      !(data.evaluationEpisodes[$0.id] ?? []).isEmpty || $0.metrics["cvar_5"] != nil
    }
    if hasTails { tables.append(PaperTables.conditionalValueAtRisk(data)) }
    tables += data.tasks.compactMap { PaperTables.schedule(data, task: $0) }
    tables.append(PaperTables.perRun(data))
    return tables
  }

  private static func createDirectory(_ url: URL) throws(ReportError) {
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    } catch {
      throw .cannotWrite(path: url.path, reason: error.localizedDescription)
    }
  }
}
