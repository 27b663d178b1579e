import Foundation
import Reports
import TestImages
import Testing
import Tracking

extension SweepEngineTests {
  /// Runs `rarlhf report demo` on the finished real sweep and checks what
  /// it wrote against the database: the main table's reward of the SFT,
  /// RLHF and RA-RLHF rows in Markdown (rounded as shown) and CSV (full
  /// precision), and non-empty PDF, SVG and PNG figures with drawn curves.
  static func checkReport(of sweep: SweepHarness) throws {
    let out = sweep.folder.appendingPathComponent("report")
    let outcome = try sweep.run(["report", "demo", "--out", out.path], environment: [:])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    let written = outcome.stdout.split(separator: "\n").map {
      URL(fileURLWithPath: String($0))
    }

    let rewards = try evaluatedRewards(sweep)
    #expect(Set(rewards.keys).isSuperset(of: ["SFT", "RLHF", "RA-RLHF"]))
    let tables = out.appendingPathComponent("results/demo")
    let markdown = try markdownRows(
      String(contentsOf: tables.appendingPathComponent("main.md"), encoding: .utf8))
    let markdownColumn = try #require(
      markdown.first?.firstIndex { $0.hasSuffix(" Reward ↑") })
    let csv = try String(contentsOf: tables.appendingPathComponent("main.csv"), encoding: .utf8)
      .components(separatedBy: "\r\n").filter { !$0.isEmpty }
      .map { $0.components(separatedBy: ",") }
    let csvColumn = try #require(csv.first?.firstIndex { $0.hasSuffix(" Reward mean") })
    for (label, reward) in rewards {
      #expect(!reward.isNaN, "\(label)")
      let shown = try #require(markdown.first { $0.first == label }, "\(label)")
      let cell = shown[markdownColumn].replacingOccurrences(of: "*", with: "")
      let decimals = cell.split(separator: ".").last?.count ?? 0
      #expect(decimals > 0, "\(label): '\(cell)'")
      #expect(cell == String(format: "%.\(decimals)f", reward), "\(label)")
      let record = try #require(csv.first { $0.first == label }, "\(label)")
      #expect(Double(record[csvColumn]) == reward, "\(label): '\(record[csvColumn])'")
    }

    for format in ["pdf", "svg", "png"] {
      let figures = written.filter { $0.pathExtension == format }
      #expect(!figures.isEmpty, "no \(format) figure")
      for figure in figures {
        let size = try FileManager.default.attributesOfItem(atPath: figure.path)[.size]
        #expect((size as? Int ?? 0) > 0, "\(figure.lastPathComponent)")
      }
    }
    let quantile = try #require(
      written.first { $0.lastPathComponent == "quantile-realtoxicityprompts.png" })
    let image = try PNGImage(data: Data(contentsOf: quantile))
    // A key's sample line alone is about 250 pixels; the curves add more.
    // RLHF and RA-RLHF lie on top of each other here, so they are counted
    // together.
    let sft = image.count(colour: RunSummary.Algorithm.sft.colour)
    let policies =
      image.count(colour: RunSummary.Algorithm.rlhf.colour)
      + image.count(colour: RunSummary.Algorithm.raRLHF.colour)
    #expect(sft > 1000, "SFT pixels: \(sft)")
    #expect(policies > 1500, "RLHF and RA-RLHF pixels: \(policies)")
  }

  /// The `reward` on the test set of each of the sweep's runs, by the row
  /// label of the main table.
  static func evaluatedRewards(_ sweep: SweepHarness) throws -> [String: Double] {
    let store = try Store(at: sweep.database, options: .readOnly)
    let rows = try store.rows(
      """
      SELECT r.algorithm, e.value FROM evaluations e JOIN runs r ON r.id = e.run_id
      WHERE e.eval_set = 'test' AND e.metric = 'reward'
      """)
    var rewards: [String: Double] = [:]
    for row in rows {
      let algorithm = try #require(
        RunSummary.Algorithm(rawValue: try row.get("algorithm", as: String.self)))
      rewards[algorithm.displayName] = try row.get("value", as: Double.self)
    }
    return rewards
  }

  /// The cells of each row of a Markdown table (the header first, the rule
  /// left out), trimmed.
  static func markdownRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| :") }
      .map { line in
        line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
          .map { $0.trimmingCharacters(in: .whitespaces) }
      }
  }
}
