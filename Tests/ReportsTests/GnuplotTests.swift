import Foundation
import Testing

@testable import Reports

/// A one-panel figure with a line and a band, for script and error tests.
private func smallFigure(colour: String = Algorithm.rlhf.colour) -> Figure {
  Figure(
    name: "small_fig",
    panels: [
      Figure.Panel(
        title: "it's 5% of {run_1}", xLabel: "Iteration", yLabel: "Reward",
        series: [
          Figure.Series(
            title: "RLHF", colour: colour,
            kind: .band([
              Figure.Point(x: 0, y: 1, spread: 0.5),
              Figure.Point(x: 1, y: .nan, spread: nil),
              Figure.Point(x: 2, y: 3, spread: 0.25),
            ])),
          Figure.Series(
            title: "", colour: "#000000", dash: 2, kind: .horizontalLine(2)),
        ])
    ])
}

@Suite struct GnuplotTests {
  @Test func scriptMatchesGolden() throws {
    let script = smallFigure().gnuplotScript(
      outputs: [
        (.pdf, "/out/small_fig.pdf"), (.svg, "/out/small_fig.svg"),
        (.png, "/out/it's.png"),
      ],
      fontFamily: "Nimbus Sans")
    try Golden.expect(script, matches: "small_fig.gp")
  }

  @Test func missingProgramIsReported() throws {
    let directory = try temporaryDirectory("missing")
    #expect(throws: ReportError.gnuplotNotFound("/nonexistent/gnuplot")) {
      try Gnuplot(executable: "/nonexistent/gnuplot")
        .render([smallFigure()], formats: [.png], to: directory)
    }
  }

  @Test func scriptErrorCarriesGnuplotsMessageAndWritesNothing() throws {
    let directory = try temporaryDirectory("error")
    let error = #expect(throws: ReportError.self) {
      try Gnuplot().render(
        [smallFigure(), smallFigure(colour: "#nothex")], formats: [.pdf, .png],
        to: directory)
    }
    guard case .gnuplotFailed(let figure, let status, let message)? = error else {
      Issue.record("expected gnuplotFailed, got \(String(describing: error))")
      return
    }
    #expect(figure == "small_fig")
    #expect(status != 0)
    // gnuplot's own words for a bad colour.
    #expect(message.contains("nothex"), "\(message)")
    let left = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    #expect(left.isEmpty, "partial output: \(left)")
  }

  @Test func pdfDatesAreFixedInPlace() {
    var data = Data("<< /CreationDate (D:20261203184859Z) /ModDate (D:2026x) >>".utf8)
    let length = data.count
    PDFDate.normalise(&data)
    #expect(data.count == length)
    #expect(
      String(decoding: data, as: UTF8.self)
        == "<< /CreationDate (D:19700101000000Z) /ModDate (D:2026x) >>")
  }

  @Test func unknownFontFamilyIsRefused() throws {
    #expect(throws: ReportError.fontNotFound(family: "No Such Font 42")) {
      try Gnuplot(fontFamily: "No Such Font 42").fontFile()
    }
  }

  @Test(arguments: [(0.9, 0.2), (4.0, 1.0), (19.0, 5.0), (130.0, 20.0), (0.012, 0.002)])
  func niceStepsGiveAboutFourTics(span: Double, step: Double) {
    #expect(abs(PaperFigures.niceStep(span) - step) < 1e-12)
  }
}
