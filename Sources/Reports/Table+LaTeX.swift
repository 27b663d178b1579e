extension Table {
  /// The table as a LaTeX `table` float with a booktabs `tabular`.
  ///
  /// Needs `\usepackage{booktabs}`. Column groups become `\multicolumn`
  /// headers with `\cmidrule`s; ↑/↓ become `$\uparrow$`/`$\downarrow$`;
  /// estimates read `$1.26 \pm 0.02$`; the best value of a column with a
  /// better direction is set with `\mathbf`; a seed count below the
  /// column's largest is appended as `(n=2)`; missing cells read
  /// `\textit{missing}` and NaN reads `NaN`. Every special character
  /// (`_ % & # $ { } ~ ^ \`, and `| < >`, which OT1 fonts misprint) in
  /// text is escaped, and α, β, ρ, ±, ↑, ↓, −
  /// become math symbols so the file compiles with pdfLaTeX.
  public func latex() -> String {
    var lines = [
      "\\begin{table}[t]",
      "  \\centering",
      "  \\caption{\(Self.escapeLaTeX(title))}",
      "  \\label{tab:\(Self.labelKey(name))}",
    ]
    let spec = columns.indices.map { isNumeric(column: $0) ? "c" : "l" }
    lines.append("  \\begin{tabular}{\(spec.joined())}")
    lines.append("    \\toprule")
    lines += groupHeaderLines()
    let headers = columns.map { column in
      var text = Self.escapeLaTeX(column.name)
      if let unit = column.unit { text += " (\(Self.escapeLaTeX(unit)))" }
      switch column.better {
      case .higher: text += " $\\uparrow$"
      case .lower: text += " $\\downarrow$"
      case nil: break
      }
      return text
    }
    lines.append("    " + headers.joined(separator: " & ") + " \\\\")
    lines.append("    \\midrule")
    for row in rows.indices {
      let cells = columns.indices.map { latexCell(row: row, column: $0) }
      lines.append("    " + cells.joined(separator: " & ") + " \\\\")
    }
    lines += ["    \\bottomrule", "  \\end{tabular}", "\\end{table}"]
    return lines.joined(separator: "\n") + "\n"
  }

  /// The `\multicolumn` group line and its `\cmidrule`s; empty when no
  /// column has a group.
  private func groupHeaderLines() -> [String] {
    guard columns.contains(where: { $0.group != nil }) else { return [] }
    var spans: [(group: String?, start: Int, count: Int)] = []
    for (index, column) in columns.enumerated() {
      if let last = spans.last, last.group == column.group {
        spans[spans.count - 1].count += 1
      } else {
        spans.append((column.group, index, 1))
      }
    }
    let cells = spans.map { span -> String in
      guard let group = span.group else {
        return Array(repeating: "", count: span.count)
          .joined(separator: " & ")
      }
      return "\\multicolumn{\(span.count)}{c}{\(Self.escapeLaTeX(group))}"
    }
    let rules = spans.compactMap { span -> String? in
      guard span.group != nil else { return nil }
      return "\\cmidrule(lr){\(span.start + 1)-\(span.start + span.count)}"
    }
    return [
      "    " + cells.joined(separator: " & ") + " \\\\",
      "    " + rules.joined(separator: " "),
    ]
  }

  private func latexCell(row: Int, column: Int) -> String {
    let decimals = columns[column].decimals
    var math: String
    switch rows[row][column] {
    case .estimate(let estimate):
      math = Self.latexNumber(estimate.mean, decimals: decimals)
      if let deviation = estimate.standardDeviation {
        math += " \\pm " + Self.latexNumber(deviation, decimals: decimals)
      }
    case .number(let value):
      math = Self.latexNumber(value, decimals: decimals)
    case .text(let value):
      return Self.escapeLaTeX(value)
    case .missing:
      return "\\textit{missing}"
    }
    if isBest(row: row, column: column) { math = "\\mathbf{\(math)}" }
    var text = "$\(math)$"
    if let label = countLabel(row: row, column: column) {
      text += " (\(label))"
    }
    return text
  }

  /// A number for math mode; NaN as `\mathrm{NaN}`, infinities as `\infty`.
  private static func latexNumber(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return "\\mathrm{NaN}" }
    if value.isInfinite { return value > 0 ? "\\infty" : "-\\infty" }
    return NumberText.fixed(value, decimals: decimals)
  }

  /// `name` as a `\label` key: letters, digits, `-`, `.` and `:` kept,
  /// anything else (which `\label` cannot take escaped) as `-`.
  static func labelKey(_ name: String) -> String {
    String(
      name.map { character in
        character.isASCII && (character.isLetter || character.isNumber || "-.:".contains(character))
          ? character : "-"
      })
  }

  /// `text` with LaTeX's special characters escaped for text mode.
  static func escapeLaTeX(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "\\": result += "\\textbackslash{}"
      case "{", "}", "_", "%", "&", "#", "$": result += "\\\(character)"
      case "~": result += "\\textasciitilde{}"
      case "^": result += "\\textasciicircum{}"
      case "|": result += "\\textbar{}"
      case "<": result += "\\textless{}"
      case ">": result += "\\textgreater{}"
      case "α": result += "$\\alpha$"
      case "β": result += "$\\beta$"
      case "ρ": result += "$\\rho$"
      case "±": result += "$\\pm$"
      case "↑": result += "$\\uparrow$"
      case "↓": result += "$\\downarrow$"
      case "−": result += "$-$"
      case "\n", "\r": result += " "
      default: result.append(character)
      }
    }
    return result
  }
}
