import Foundation
import Testing
import Tracking

@testable import Reports

@Suite struct ReportTests {
  @Test func storeGivesTheSameTablesAsTheInMemoryFixture() throws {
    let store = try FixtureStore.make()
    let data = try ReportData(store: store, sweeps: [ReportFixture.sweep])
    try Golden.expect(PaperTables.main(data).markdown(), matches: "main.md")
    try Golden.expect(PaperTables.main(data).latex(), matches: "main.tex")
    try Golden.expect(PaperTables.main(data).csv(), matches: "main.csv")
    try Golden.expect(PaperTables.conditionalValueAtRisk(data).markdown(), matches: "cvar.md")
    let schedule = try #require(PaperTables.schedule(data, task: "imdb"))
    try Golden.expect(schedule.markdown(), matches: "schedule.md")
    try Golden.expect(PaperTables.perRun(data).markdown(), matches: "runs.md")
  }

  @Test func storeGivesTheFixturesCurvesAndEpisodes() throws {
    let store = try FixtureStore.make()
    let data = try ReportData(store: store, sweeps: [ReportFixture.sweep])
    #expect(data.runs.map(\.id) == ReportFixture.runs.map(\.id))
    #expect(data.evaluationEpisodes == ReportFixture.evaluationEpisodes)
    for (run, curves) in ReportFixture.curves {
      for (name, points) in curves {
        #expect(data.curves[run]?[name] == points, "run \(run), \(name)")
      }
    }
    // A NULL metric (SQLite's NaN) reads back as NaN, not as missing.
    let jigsaw = try #require(data.runs.last)
    #expect(jigsaw.metrics["perplexity"]?.isNaN == true)
  }

  @Test func onlyTheNamedSweepsAreRead() throws {
    let store = try FixtureStore.make()
    let fixture = try ReportData(store: store, sweeps: [ReportFixture.sweep])
    #expect(!fixture.runs.contains { $0.seed == 99 })
    let both = try ReportData(
      store: store, sweeps: [ReportFixture.sweep, FixtureStore.otherSweep])
    #expect(both.runs.count == ReportFixture.runs.count + 1)
  }

  @Test func unknownSweepIsRefused() throws {
    let store = try FixtureStore.make()
    #expect(throws: ReportError.noSweeps) { try ReportData(store: store, sweeps: []) }
    #expect(throws: ReportError.unknownSweep("nope")) {
      try ReportData(store: store, sweeps: [ReportFixture.sweep, "nope"])
    }
  }

  @Test func sweepWithoutFinishedRunsIsAnError() throws {
    let store = try FixtureStore.make()
    let sweep = try store.recordSweep(named: "unfinished", specText: "x")
    let spec = RunSpec(
      identity: String(repeating: "f", count: 64), name: "pending_run", task: "imdb",
      algorithm: .rlhf, preset: "tiny", seed: 0, configJSON: "{}")
    try store.register(spec, in: sweep)
    let directory = try temporaryDirectory("unfinished")
    let report = Report(tablesDirectory: directory, plotsDirectory: directory)
    #expect(throws: ReportError.noFinishedRuns(sweeps: ["unfinished"])) {
      try report.write(from: store, sweeps: ["unfinished"])
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }

  @Test func metricInTwoEvaluationSetsIsAmbiguous() throws {
    let store = try FixtureStore.make()
    try store.record(evaluationMetrics: ["reward": 1], of: RunID(rawValue: 3), on: "valid")
    #expect(throws: ReportError.ambiguousMetric("reward", runID: 3, evalSets: ["test", "valid"])) {
      try ReportData(store: store, sweeps: [ReportFixture.sweep])
    }
  }

  @Test func reportWritesEveryTableAndFigureAndListsThem() throws {
    let store = try FixtureStore.make()
    let root = try temporaryDirectory("report")
    let tables = root.appendingPathComponent("results")
    let plots = root.appendingPathComponent("plots")
    let report = Report(
      tablesDirectory: tables, plotsDirectory: plots, tableFormats: [.markdown, .csv],
      plotFormats: [.svg])
    let written = try report.write(from: store, sweeps: [ReportFixture.sweep])
    let names = written.map(\.lastPathComponent)
    #expect(
      names.prefix(8)
        == [
          "main.md", "main.csv", "cvar.md", "cvar.csv", "schedule-imdb.md",
          "schedule-imdb.csv", "runs.md", "runs.csv",
        ])
    let figures = PaperFigures.all(ReportFixture.data).map { "\($0.name).svg" }
    #expect(Array(names.dropFirst(8)) == figures)
    let onDisk =
      try FileManager.default.contentsOfDirectory(atPath: tables.path)
      + FileManager.default.contentsOfDirectory(atPath: plots.path)
    #expect(Set(onDisk) == Set(names))
    try Golden.expect(
      String(contentsOf: tables.appendingPathComponent("main.md"), encoding: .utf8),
      matches: "main.md")
  }

  @Test func reportIsByteIdenticalWhenRegenerated() throws {
    let store = try FixtureStore.make()
    var outputs: [[Data]] = []
    for _ in 0..<2 {
      let directory = try temporaryDirectory("twice")
      let report = Report(
        tablesDirectory: directory, plotsDirectory: directory, tableFormats: [.latex],
        plotFormats: [.pdf, .svg, .png])
      var data = try ReportData(store: store, sweeps: [ReportFixture.sweep])
      // One figure per kind keeps the test quick.
      data.curves = data.curves.mapValues { $0.filter { $0.key == "kept_count" } }
      outputs.append(try report.write(data).map { try Data(contentsOf: $0) })
    }
    #expect(outputs[0].count > 10)
    #expect(outputs[0] == outputs[1])
  }

  @Test(arguments: ["md", "tex", "csv"])
  func tableFormatsParse(name: String) throws {
    #expect(try TableFormat(parsing: name).fileExtension == name)
  }

  @Test func unknownFormatsNameWhatIsAllowed() {
    #expect(throws: ReportError.unknownTableFormat("html")) { try TableFormat(parsing: "html") }
    #expect(throws: ReportError.unknownPlotFormat("jpg")) { try PlotFormat(parsing: "jpg") }
    #expect(
      ReportError.unknownPlotFormat("jpg").description
        == "unknown plot format 'jpg' (expected: pdf, svg, png)")
  }
}
