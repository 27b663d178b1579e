extension Table {
  /// The table as a GitHub-flavoured Markdown table under a bold title.
  ///
  /// Estimates read `1.26 ± 0.02`, a seed count below the column's largest
  /// is appended as `(n=2)`, the best value of a column with a better
  /// direction is bold, missing cells read `missing` and NaN reads `NaN`.
  /// Text is escaped so that `|`, `*`, `_` and `\` stay literal.
  public func markdown() -> String {
    var lines = ["**\(Self.escapeMarkdown(title))**", ""]
    let headers = columns.map { column in
      var text = column.group.map { "\($0) " } ?? ""
      text += column.name
      if let unit = column.unit { text += " (\(unit))" }
      switch column.better {
      case .higher: text += " ↑"
      case .lower: text += " ↓"
      case nil: break
      }
      return Self.escapeMarkdown(text)
    }
    lines.append("| " + headers.joined(separator: " | ") + " |")
    let rules = columns.indices.map { isNumeric(column: $0) ? "--:" : ":--" }
    lines.append("| " + rules.joined(separator: " | ") + " |")
    for row in rows.indices {
      let cells = columns.indices.map { markdownCell(row: row, column: $0) }
      lines.append("| " + cells.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func markdownCell(row: Int, column: Int) -> String {
    let decimals = columns[column].decimals
    var text: String
    switch rows[row][column] {
    case .estimate(let estimate):
      text = NumberText.fixed(estimate.mean, decimals: decimals)
      if let deviation = estimate.standardDeviation {
        text += " ± " + NumberText.fixed(deviation, decimals: decimals)
      }
    case .number(let value):
      text = NumberText.fixed(value, decimals: decimals)
    case .text(let value):
      return Self.escapeMarkdown(value)
    case .missing:
      return "missing"
    }
    if isBest(row: row, column: column) { text = "**\(text)**" }
    if let label = countLabel(row: row, column: column) {
      text += " (\(label))"
    }
    return text
  }

  /// `text` with Markdown's table and emphasis characters escaped.
  static func escapeMarkdown(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "\\", "|", "*", "_", "`": result += "\\\(character)"
      case "\n", "\r": result += " "
      default: result.append(character)
      }
    }
    return result
  }
}
