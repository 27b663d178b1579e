import Foundation

extension Figure {
  /// The font size of every text, in points.
  static let fontSize = 7
  /// PNG resolution, dots per inch.
  static let pngResolution = 300.0

  /// The gnuplot script that draws the figure once per output.
  ///
  /// The data is inlined as datablocks, so the script is self-contained
  /// and can be piped to gnuplot. Text is drawn without gnuplot's enhanced
  /// mode, so `_`, `^`, `@`, `&` and braces print as typed. The script
  /// depends only on the figure and the arguments, so the same data gives
  /// the same script.
  /// - Parameters:
  ///   - outputs: one `(format, path)` per file to draw.
  ///   - fontFamily: the font family of every text, e.g. `Nimbus Sans`.
  public func gnuplotScript(
    outputs: [(format: PlotFormat, path: String)], fontFamily: String
  ) -> String {
    var lines = ["# \(name): written by rarlhf's Reports module", "set encoding utf8"]
    var blocks: [[Int]] = []
    var next = 0
    for panel in panels {
      var indices: [Int] = []
      for series in panel.series {
        indices.append(next)
        lines += Self.datablock(named: "$d\(next)", for: series.kind)
        next += 1
      }
      blocks.append(indices)
    }
    for output in outputs {
      lines.append(terminal(for: output.format, fontFamily: fontFamily))
      lines.append("set output \(Self.quoted(output.path))")
      let rows = (panels.count + columns - 1) / columns
      if panels.count > 1 {
        lines.append("set multiplot layout \(rows),\(columns)")
      }
      for (panel, indices) in zip(panels, blocks) {
        lines += Self.commands(for: panel, datablocks: indices)
      }
      if panels.count > 1 { lines.append("unset multiplot") }
      lines.append("unset output")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Terminals

  private func terminal(for format: PlotFormat, fontFamily: String) -> String {
    let font = Self.quoted("\(fontFamily),\(Self.fontSize)")
    let common = "rounded background '#ffffff' noenhanced"
    switch format {
    case .pdf:
      let size = "\(NumberText.exact(width))in,\(NumberText.exact(height))in"
      return "set terminal pdfcairo size \(size) font \(font) \(common)"
    case .svg:
      // One SVG user unit is one point, so sizes match the PDF.
      let size = "\(Int((width * 72).rounded())),\(Int((height * 72).rounded()))"
      return "set terminal svg size \(size) fixed font \(font) \(common)"
    case .png:
      let dpi = Self.pngResolution
      let size = "\(Int((width * dpi).rounded())),\(Int((height * dpi).rounded()))"
      let scale = NumberText.fixed(dpi / 72, decimals: 4)
      return "set terminal pngcairo size \(size) font \(font) "
        + "fontscale \(scale) linewidth \(scale) \(common)"
    }
  }

  // MARK: - Panels

  private static func commands(for panel: Panel, datablocks: [Int]) -> [String] {
    let title = panel.title.map { "set title \(quoted($0))" } ?? "unset title"
    var xRange = "set xrange [*:*]"
    if let range = panel.xRange {
      let low = NumberText.exact(range.lowerBound)
      xRange = "set xrange [\(low):\(NumberText.exact(range.upperBound))]"
    }
    var xTics = "set xtics autofreq"
    if let step = panel.xTicStep { xTics = "set xtics \(NumberText.exact(step))" }
    var yTics = "set ytics autofreq"
    if let step = panel.yTicStep { yTics = "set ytics \(NumberText.exact(step))" }
    var lines: [String] = [
      title, "set xlabel \(quoted(panel.xLabel))",
      "set ylabel \(quoted(panel.yLabel))", xRange, "set yrange [*:*]", xTics, yTics,
      "set border 3 lw 0.5",
      "set tics nomirror out scale 0.5",
      "set grid lt 1 lc rgb '#e0e0e0' lw 0.5",
      "set key below horizontal samplen 2 spacing 1 height 1",
    ]
    let drawable = zip(panel.series, datablocks).filter { isDrawable($0.0.kind) }
    // Error bars at the ends of the x range would be cut in half.
    let hasErrorBars = drawable.contains {
      if case .errorBars = $0.0.kind { return true }
      return false
    }
    lines.append(hasErrorBars ? "set offsets graph 0.05, graph 0.05, 0, 0" : "set offsets")
    if let width = drawable.lazy.compactMap({ binWidth(of: $0.0.kind) }).first {
      lines.append("set boxwidth \(NumberText.exact(width)) absolute")
    }
    guard !drawable.isEmpty else {
      return lines + [
        "set label 1 'no data' at graph 0.5,0.5 center",
        "plot [0:1][0:1] NaN notitle",
        "unset label 1",
      ]
    }
    let clauses = drawable.flatMap { series, index in
      plotClauses(for: series, datablock: "$d\(index)")
    }
    return lines + ["plot " + clauses.joined(separator: ", \\\n  ")]
  }

  private static func plotClauses(for series: Series, datablock: String) -> [String] {
    let colour = "lc rgb \(quoted(series.colour)) dt \(series.dash)"
    let title = series.title.isEmpty ? "notitle" : "title \(quoted(series.title))"
    switch series.kind {
    case .line:
      return ["\(datablock) using 1:2 with lines \(colour) lw 1.5 \(title)"]
    case .band:
      return [
        "\(datablock) using 1:($2-$3):($2+$3) with filledcurves "
          + "fc rgb \(quoted(series.colour)) fs transparent solid 0.2 noborder notitle",
        "\(datablock) using 1:2 with lines \(colour) lw 1.5 \(title)",
      ]
    case .errorBars:
      return [
        "\(datablock) using 1:2:3 with yerrorlines \(colour) lw 1.5 pt 7 ps 0.4 \(title)"
      ]
    case .histogram(let values, let width, let filled):
      let weight = 1 / (Double(values.filter(\.isFinite).count) * width)
      let w = NumberText.exact(width)
      let style =
        filled
        ? "fs transparent solid 0.35 noborder" : "fs empty border lw 1"
      return [
        "\(datablock) using (\(w)*floor($1/\(w))+\(w)/2.0):"
          + "(\(NumberText.exact(weight))) smooth frequency with boxes "
          + "\(style) \(colour) \(title)"
      ]
    case .horizontalLine(let y):
      return ["\(NumberText.exact(y)) with lines \(colour) lw 1 \(title)"]
    }
  }

  // MARK: - Data

  private static func datablock(named name: String, for kind: Kind) -> [String] {
    let rows: [String]
    switch kind {
    case .line(let points):
      rows = points.map { "\(NumberText.exact($0.x)) \(NumberText.exact($0.y))" }
    case .band(let points):
      rows = points.map {
        "\(NumberText.exact($0.x)) \(NumberText.exact($0.y)) "
          + NumberText.exact($0.spread ?? .nan)
      }
    case .errorBars(let points):
      rows = points.map {
        "\(NumberText.exact($0.x)) \(NumberText.exact($0.y)) "
          + NumberText.exact($0.spread ?? 0)
      }
    case .histogram(let values, _, _):
      rows = values.filter(\.isFinite).map(NumberText.exact)
    case .horizontalLine:
      return []
    }
    return ["\(name) << EOD"] + rows + ["EOD"]
  }

  /// Whether gnuplot has something to draw: a finite y (or value).
  private static func isDrawable(_ kind: Kind) -> Bool {
    switch kind {
    case .line(let points), .band(let points), .errorBars(let points):
      return points.contains { $0.x.isFinite && $0.y.isFinite }
    case .histogram(let values, let width, _):
      return width > 0 && values.contains(where: \.isFinite)
    case .horizontalLine(let y):
      return y.isFinite
    }
  }

  private static func binWidth(of kind: Kind) -> Double? {
    if case .histogram(_, let width, _) = kind { return width }
    return nil
  }

  /// A gnuplot single-quoted string; `'` is doubled, nothing else is
  /// special inside single quotes.
  static func quoted(_ text: String) -> String {
    "'"
      + text.replacingOccurrences(of: "'", with: "''")
      .replacingOccurrences(of: "\n", with: " ") + "'"
  }
}
