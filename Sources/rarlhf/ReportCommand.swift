import ArgumentParsing
import Foundation
import Reports
import Sweeps

/// `rarlhf report SWEEP… [--out DIR] [--tables …] [--plots …]`: the paper's
/// tables and figures for recorded sweeps, computed from the database.
struct ReportCommand {
  let parsed: ParsedCommand
  let console: Console

  /// The evaluation set whose episodes and metrics the tables report.
  static let evaluationSet = "test"

  func run() throws {
    let sweeps = parsed.positionalList("SWEEP")
    let tableFormats = try formats("tables", TableFormat.allCases) { text throws(ReportError) in
      try TableFormat(parsing: text)
    }
    let plotFormats = try formats("plots", PlotFormat.allCases) { text throws(ReportError) in
      try PlotFormat(parsing: text)
    }
    let store = try DatabaseCommands.openExisting(parsed)
    let known = try SweepLedger(store: store).sweepNames()
    for sweep in sweeps where !known.contains(sweep) {
      throw UsageFailure(
        description: SweepError.unknownSweep(sweep, known: known).description)
    }
    let out = URL(fileURLWithPath: parsed.value("out") ?? ".")
    let name = sweeps.joined(separator: "+")
    let report = Report(
      tablesDirectory: out.appendingPathComponent("results").appendingPathComponent(name),
      plotsDirectory: out.appendingPathComponent("plots").appendingPathComponent(name),
      tableFormats: tableFormats, plotFormats: plotFormats,
      evaluationSet: Self.evaluationSet)
    for url in try report.write(from: store, sweeps: sweeps) {
      console.result(url.path)
    }
  }

  /// The formats listed by option `name` (comma-separated, repeatable), or
  /// `all` when the option is absent; an unknown format is bad usage.
  private func formats<Format>(
    _ name: String, _ all: [Format], parse: (String) throws(ReportError) -> Format
  ) throws -> [Format] {
    let words = parsed.list(name)
    guard !words.isEmpty else { return all }
    do {
      return try words.map { word throws(ReportError) in try parse(word) }
    } catch {
      throw UsageFailure(description: error.description)
    }
  }
}
