import Foundation
import TestImages
import Testing

@testable import Reports

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Renders the fixture's figures once, in every format, for all tests.
private let rendered: Result<[URL], any Error> = Result {
  let directory = try temporaryDirectory("figures")
  return try Gnuplot().render(
    PaperFigures.all(ReportFixture.data), formats: PlotFormat.allCases, to: directory)
}

func temporaryDirectory(_ label: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("rarlhf-reports-\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct PaperFiguresTests {
  @Test func everyFigureKindIsBuiltForTheFixture() {
    let names = Set(PaperFigures.all(ReportFixture.data).map(\.name))
    let expected = [
      "curve-imdb-reward", "curve-imdb-return-batch", "curve-imdb-return-kept",
      "curve-imdb-kl", "curve-imdb-beta", "curve-imdb-length",
      "curve-imdb-reward-std", "schedule-imdb", "distribution-imdb",
      "quantile-imdb", "tail-alpha-imdb", "curve-jigsaw-reward",
      "distribution-jigsaw", "quantile-jigsaw",
    ]
    for name in expected { #expect(names.contains(name), "missing \(name)") }
    #expect(!names.contains("schedule-jigsaw"))
    #expect(!names.contains("tail-alpha-jigsaw"))
  }

  @Test func everyFigureIsWrittenAsNonEmptyPDFSVGAndPNG() throws {
    let urls = try rendered.get()
    let figures = PaperFigures.all(ReportFixture.data)
    #expect(urls.count == figures.count * 3)
    for url in urls {
      let data = try Data(contentsOf: url)
      let head = String(decoding: data.prefix(8), as: UTF8.self)
      switch url.pathExtension {
      case "pdf":
        #expect(head.hasPrefix("%PDF-"), "\(url.lastPathComponent)")
        #expect(data.range(of: Data("/FontFile".utf8)) != nil, "no embedded font")
        // The clock's date is replaced, so regeneration cannot differ by it.
        #expect(data.range(of: Data("/CreationDate (D:19700101000000Z)".utf8)) != nil)
      case "svg":
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<svg"))
        #expect(
          text.contains("@font-face { font-family: 'Nimbus Sans'; src: url(data:font/otf;base64,"),
          "\(url.lastPathComponent)")
        #expect(text.contains("font-family=\"Nimbus Sans\""))
        #expect(XMLParser(data: data).parse(), "\(url.lastPathComponent) is not XML")
        #expect(text.contains("<path"))
      default:
        #expect(data.prefix(4) == Data([137, 80, 78, 71]), "\(url.lastPathComponent)")
      }
    }
  }

  @Test func pngShowsEachAlgorithmInItsColour() throws {
    let urls = try rendered.get()
    let quantile = try #require(urls.first { $0.lastPathComponent == "quantile-imdb.png" })
    let image = try PNGImage(data: Data(contentsOf: quantile))
    #expect(image.width == 975)
    #expect(image.height == 660)
    for algorithm in Algorithm.allCases {
      #expect(image.count(colour: algorithm.colour) > 500, "\(algorithm) not drawn")
    }
    // The Jigsaw reward curve has RLHF only: no RA-RLHF colour at all.
    let jigsaw = try #require(urls.first { $0.lastPathComponent == "curve-jigsaw-reward.png" })
    let single = try PNGImage(data: Data(contentsOf: jigsaw))
    #expect(single.count(colour: Algorithm.rlhf.colour) > 500)
    #expect(single.count(colour: Algorithm.raRLHF.colour) == 0)
  }

  @Test func regenerationIsByteIdentical() throws {
    let first = try rendered.get()
    let directory = try temporaryDirectory("again")
    let figures = PaperFigures.all(ReportFixture.data).filter {
      ["quantile-imdb", "distribution-imdb", "curve-imdb-reward"].contains($0.name)
    }
    let second = try Gnuplot().render(figures, formats: PlotFormat.allCases, to: directory)
    #expect(second.count == 9)
    for url in second {
      let original = try #require(first.first { $0.lastPathComponent == url.lastPathComponent })
      #expect(try Data(contentsOf: url) == Data(contentsOf: original), "\(url.lastPathComponent)")
    }
  }

  /// Several configurations of one algorithm keep its hue: the first has
  /// its colour, the second 40 % darker, the third 45 % lighter.
  @Test(arguments: [
    ("#D55E00", 0, "#D55E00"), ("#D55E00", 1, "#803800"), ("#D55E00", 2, "#E8A673"),
    ("#0072B2", 1, "#00446B"), ("#0072B2", 3, "#001724"), ("bad", 1, "bad"),
  ])
  func schedulesOfOneAlgorithmShareItsHue(colour: String, variant: Int, shade: String) {
    #expect(PaperFigures.shade(of: colour, variant: variant) == shade)
  }

  @Test func trainingCurvesEndWithTheirIterations() throws {
    let figure = try #require(
      PaperFigures.trainingCurve(
        ReportFixture.data, task: "imdb", statistic: "env/reward_mean"))
    let panel = try #require(figure.panels.first)
    let range = try #require(panel.xRange)
    let xs = panel.series.flatMap { series -> [Double] in
      if case .band(let points) = series.kind { return points.map(\.x) }
      return []
    }
    #expect(range.lowerBound == xs.min())
    #expect(range.upperBound == xs.max())
    #expect(panel.yTicStep != nil)
  }
}

@Suite struct FigureTicTests {
  /// A figure of one RLHF run whose `env/reward_mean` has `iterations`
  /// points, with the matching kept counts of an RA-RLHF run.
  static func data(iterations: Int) -> ReportData {
    let runs = [
      RunSummary(id: 1, name: "rlhf", task: "imdb", algorithm: .rlhf, seed: 1),
      RunSummary(
        id: 2, name: "ra", task: "imdb", algorithm: .raRLHF, alpha: 0.4, warmStart: 1,
        rho: 0.95, seed: 1),
    ]
    let points = (0..<iterations).map { CurvePoint(iteration: $0, value: Double($0 * $0)) }
    return ReportData(
      sweeps: ["tics"], runs: runs,
      curves: [1: ["env/reward_mean": points], 2: ["kept_count": points]])
  }

  @Test(arguments: [(2, 1.0), (4, 1.0), (9, 2.0), (41, 10.0)])
  func iterationAxesStepByWholeIterations(iterations: Int, step: Double) throws {
    let data = Self.data(iterations: iterations)
    let curve = try #require(
      PaperFigures.trainingCurve(data, task: "imdb", statistic: "env/reward_mean"))
    let schedule = try #require(PaperFigures.riskSchedule(data, task: "imdb"))
    #expect(curve.panels.first?.xTicStep == step)
    #expect(schedule.panels.first?.xTicStep == step)
  }

  @Test func quantilePlotGetsAYTicStepOverItsValues() throws {
    let figure = try #require(PaperFigures.quantileCurves(ReportFixture.data, task: "imdb"))
    let panel = try #require(figure.panels.first)
    let step = try #require(panel.yTicStep)
    let ys = panel.series.flatMap { series -> [Double] in
      guard case .band(let points) = series.kind else { return [] }
      return points.flatMap { [$0.y - ($0.spread ?? 0), $0.y + ($0.spread ?? 0)] }
    }.filter(\.isFinite)
    let span = try #require(ys.max()) - (try #require(ys.min()))
    // Four or five tics: the step is between a tenth and half the span.
    #expect(step >= span / 10 && step <= span / 2)
  }
}
