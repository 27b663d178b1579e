import Testing

@testable import Reports

@Suite struct PaperTablesTests {
  @Test func mainTableMatchesGolden() throws {
    let table = PaperTables.main(ReportFixture.data)
    try Golden.expect(table.markdown(), matches: "main.md")
    try Golden.expect(table.latex(), matches: "main.tex")
    try Golden.expect(table.csv(), matches: "main.csv")
  }

  @Test func mainTableHasOneRowPerSchedule() {
    let table = PaperTables.main(ReportFixture.data)
    let labels = table.rows.map { row -> String in
      if case .text(let label) = row[0] { return label }
      return ""
    }
    #expect(
      labels == [
        "Base", "SFT", "RLHF", "RA-RLHF (α=0.4)", "RA-RLHF (α=0.2)",
      ])
  }

  @Test func mainTableAveragesSeedsWithSampleDeviation() throws {
    let table = PaperTables.main(ReportFixture.data)
    // IMDB reward of RLHF: 1.25, 1.26, 1.27.
    guard case .estimate(let estimate) = table.rows[2][1] else {
      Issue.record("expected an estimate, got \(table.rows[2][1])")
      return
    }
    #expect(abs(estimate.mean - 1.26) < 1e-12)
    #expect(abs((estimate.standardDeviation ?? 0) - 0.01) < 1e-12)
    #expect(estimate.count == 3)
    // The failed α = 0.2 seed is not counted.
    guard case .estimate(let partial) = table.rows[4][1] else {
      Issue.record("expected an estimate, got \(table.rows[4][1])")
      return
    }
    #expect(partial.count == 2)
  }

  @Test func scheduleTableMatchesGolden() throws {
    let table = try #require(PaperTables.schedule(ReportFixture.data, task: "imdb"))
    #expect(table.name == "schedule-imdb")
    try Golden.expect(table.markdown(), matches: "schedule.md")
    #expect(PaperTables.schedule(ReportFixture.data, task: "jigsaw") == nil)
  }

  @Test func cvarTableMatchesGolden() throws {
    let table = PaperTables.conditionalValueAtRisk(ReportFixture.data)
    try Golden.expect(table.markdown(), matches: "cvar.md")
    // Base, IMDB, 5 %: the lowest ⌈0.05 · 20⌉ = 1 reward, −9 / 10.
    guard case .estimate(let estimate) = table.rows[0][1] else {
      Issue.record("expected an estimate, got \(table.rows[0][1])")
      return
    }
    #expect(abs(estimate.mean - -0.9) < 1e-12)
  }

  @Test func perRunTableListsEveryRun() throws {
    let table = PaperTables.perRun(ReportFixture.data)
    #expect(table.rows.count == ReportFixture.runs.count)
    try Golden.expect(table.markdown(), matches: "runs.md")
  }
}

@Suite struct CVaRFallbackTests {
  @Test func storedCVaRMetricsStandInForMissingEpisodes() throws {
    var data = ReportFixture.data
    let base = try #require(data.runs.first)
    data.evaluationEpisodes[base.id] = nil
    data.runs[0].metrics["cvar_10"] = -7.5
    let table = PaperTables.conditionalValueAtRisk(data)
    #expect(table.rows[0][1] == .missing)  // no episodes, no cvar_5
    #expect(table.rows[0][2] == .estimate(Estimate(mean: -7.5, standardDeviation: nil, count: 1)))
  }
}
