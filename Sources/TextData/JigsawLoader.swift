import Foundation

/// Reads Jigsaw comments from CSV files with a header row: a
/// `comment_text` column, a `toxic` column of 0/1, optionally an `id` and
/// the other Kaggle label columns.
public enum JigsawLoader {
  /// Label columns read when present, besides `toxic`.
  public static let labelColumns = [
    "toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate",
  ]

  /// Calls `body` with each comment of the CSV file at `url`, in file order.
  ///
  /// - Throws: `TextDataError` with the file and line: `missingColumn`,
  ///   `wrongFieldCount`, `invalidLabel`, `unterminatedQuote`, `strayQuote`,
  ///   `invalidUTF8`.
  public static func forEachComment(
    at url: URL, source: JigsawComment.Source,
    _ body: (JigsawComment) throws(TextDataError) -> Void
  ) throws(TextDataError) {
    var reader = CSVReader(bytes: try readBytes(url), file: url.path)
    guard let header = try reader.next() else {
      throw .missingColumn(file: url.path, column: "comment_text", header: [])
    }
    let columns = header.fields
    func column(_ name: String) throws(TextDataError) -> Int {
      guard let index = columns.firstIndex(of: name) else {
        throw .missingColumn(file: url.path, column: name, header: columns)
      }
      return index
    }
    let textColumn = try column("comment_text")
    _ = try column("toxic")  // required, read with the other labels
    let idColumn = columns.firstIndex(of: "id")
    let labels = labelColumns.compactMap { name in
      columns.firstIndex(of: name).map { (name, $0) }
    }
    var number = 0
    while let record = try reader.next() {
      guard record.fields.count == columns.count else {
        throw .wrongFieldCount(
          file: url.path, line: record.line, expected: columns.count,
          got: record.fields.count)
      }
      number += 1
      var values = [String: Bool]()
      for (name, index) in labels {
        switch record.fields[index] {
        case "0": values[name] = false
        case "1": values[name] = true
        default:
          throw .invalidLabel(
            file: url.path, line: record.line, column: name,
            value: record.fields[index])
        }
      }
      let id = idColumn.map { record.fields[$0] } ?? "\(source.rawValue):\(number)"
      try body(
        JigsawComment(
          id: id, source: source, text: record.fields[textColumn],
          isToxic: values["toxic"] == true, labels: values, line: record.line))
    }
  }

  /// Every comment of the CSV file at `url`, in file order.
  public static func comments(
    at url: URL, source: JigsawComment.Source
  ) throws(TextDataError) -> [JigsawComment] {
    var comments = [JigsawComment]()
    try forEachComment(at: url, source: source) { comments.append($0) }
    return comments
  }

  /// The comments of one Jigsaw file of a data directory.
  public static func comments(
    in data: DataDirectory, source: JigsawComment.Source
  ) throws(TextDataError) -> [JigsawComment] {
    let file: DataDirectory.File =
      switch source {
      case .train: .jigsawTrain
      case .test: .jigsawTest
      case .balanced: .jigsawBalanced
      }
    return try comments(at: data.url(for: file), source: source)
  }
}
