import Foundation

extension Table {
  /// The table as RFC 4180 CSV: a header record, then one record per row,
  /// CRLF line ends, fields quoted when they hold `,`, `"`, CR or LF.
  ///
  /// A column holding estimates becomes three fields, `… mean`, `… std`
  /// and `… n`; numbers keep full precision (the shortest text that reads
  /// back as the same `Double`). A missing cell is an empty field (with
  /// `n` = 0); NaN is `NaN`; an undefined standard deviation (n = 1) is
  /// empty. Header names are `group name (unit)`. The title is not written.
  public func csv() -> String {
    var header: [String] = []
    for (index, column) in columns.enumerated() {
      var name = column.group.map { "\($0) " } ?? ""
      name += column.name
      if let unit = column.unit { name += " (\(unit))" }
      if hasEstimates(column: index) {
        header += ["\(name) mean", "\(name) std", "\(name) n"]
      } else {
        header.append(name)
      }
    }
    var records = [header]
    for row in rows {
      var fields: [String] = []
      for (index, cell) in row.enumerated() {
        fields += csvFields(cell, triple: hasEstimates(column: index))
      }
      records.append(fields)
    }
    return records.map { record in
      record.map(Self.quoteCSV).joined(separator: ",") + "\r\n"
    }.joined()
  }

  private func csvFields(_ cell: Cell, triple: Bool) -> [String] {
    switch cell {
    case .estimate(let estimate):
      return [
        NumberText.exact(estimate.mean),
        estimate.standardDeviation.map(NumberText.exact) ?? "",
        String(estimate.count),
      ]
    case .number(let value):
      return triple
        ? [NumberText.exact(value), "", "1"] : [NumberText.exact(value)]
    case .text(let text):
      return triple ? [text, "", ""] : [text]
    case .missing:
      return triple ? ["", "", "0"] : [""]
    }
  }

  /// A field quoted per RFC 4180 when it needs to be.
  static func quoteCSV(_ field: String) -> String {
    let needsQuotes = field.contains { ",\"\r\n".contains($0) }
    guard needsQuotes else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
