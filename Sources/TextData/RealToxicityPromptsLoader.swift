import Foundation

/// Reads RealToxicityPrompts' `prompts.jsonl`: one JSON object per line with
/// `filename`, `begin`, `end`, `challenging`, `prompt` and `continuation`
/// (each `{text, toxicity, …}` with scores that may be `null`).
public enum RealToxicityPromptsLoader {
  /// Calls `body` with each record, in file order; empty lines are skipped.
  /// The file is read whole (the published one is under 100 MB).
  ///
  /// - Throws: `TextDataError` with the file and line: `invalidUTF8`,
  ///   `malformedJSON`, `missingField`.
  public static func forEachRecord(
    at url: URL, _ body: (RealToxicityPrompt) throws(TextDataError) -> Void
  ) throws(TextDataError) {
    let bytes = try readBytes(url)
    let decoder = JSONDecoder()
    var line = 0
    for slice in bytes.split(separator: 0x0a, omittingEmptySubsequences: false) {
      line += 1
      if slice.allSatisfy({ $0 == 0x20 || $0 == 0x0d || $0 == 0x09 }) {
        continue
      }
      guard String(validating: slice, as: UTF8.self) != nil else {
        throw .invalidUTF8(file: url.path, line: line)
      }
      let raw: RawRecord
      do {
        raw = try decoder.decode(RawRecord.self, from: Data(slice))
      } catch let DecodingError.keyNotFound(key, context) {
        let path = (context.codingPath + [key]).map(\.stringValue)
        throw .missingField(
          file: url.path, line: line, field: path.joined(separator: "."))
      } catch let DecodingError.valueNotFound(_, context) {
        let path = context.codingPath.map(\.stringValue)
        throw .missingField(
          file: url.path, line: line, field: path.joined(separator: "."))
      } catch let DecodingError.typeMismatch(type, context) {
        let path = context.codingPath.map(\.stringValue)
        throw .malformedJSON(
          file: url.path, line: line, column: 1,
          reason: "'\(path.joined(separator: "."))' must be \(type)")
      } catch {
        throw .malformedJSON(
          file: url.path, line: line, column: 1, reason: "not a JSON object")
      }
      try body(
        RealToxicityPrompt(
          filename: raw.filename, begin: raw.begin, end: raw.end,
          challenging: raw.challenging ?? false,
          prompt: .init(text: raw.prompt.text, scores: raw.prompt.scores),
          continuation: .init(
            text: raw.continuation.text, scores: raw.continuation.scores),
          line: line))
    }
  }

  /// Every record of the file at `url`, in file order.
  public static func records(at url: URL) throws(TextDataError)
    -> [RealToxicityPrompt]
  {
    var records = [RealToxicityPrompt]()
    try forEachRecord(at: url) { records.append($0) }
    return records
  }

  /// The records of a data directory's `prompts.jsonl`.
  public static func records(in data: DataDirectory) throws(TextDataError)
    -> [RealToxicityPrompt]
  {
    try records(at: data.url(for: .realToxicityPrompts))
  }

  // MARK: - Decoding

  private struct RawPart: Decodable {
    var text: String
    var scores: RealToxicityPrompt.Scores

    enum CodingKeys: String, CodingKey { case text }

    init(from decoder: Decoder) throws {
      text = try decoder.container(keyedBy: CodingKeys.self)
        .decode(String.self, forKey: .text)
      scores = try RealToxicityPrompt.Scores(from: decoder)
    }
  }

  private struct RawRecord: Decodable {
    var filename: String
    var begin: Int
    var end: Int
    var challenging: Bool?
    var prompt: RawPart
    var continuation: RawPart
  }
}
