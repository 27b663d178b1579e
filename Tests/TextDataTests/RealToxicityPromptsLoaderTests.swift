import Foundation
import Testing

@testable import TextData

@Suite struct RealToxicityPromptsLoaderTests {
  @Test func readsTheRealFile() throws {
    let records = try RealToxicityPromptsLoader.records(in: TestData.directory)
    #expect(records.count == 2_396)
    #expect(records.count(where: \.challenging) == 1_200)
    #expect(records.count { $0.prompt.isToxic == true } == 993)
    #expect(Set(records.map(\.id)).count == 2_396)
    #expect(Set(records.map { "\($0.filename) \($0.begin) \($0.end)" }).count == 2_392)
    let first = try #require(records.first)
    #expect(first.begin == 687 && first.end == 859)
    #expect(first.prompt.scores.toxicity == 0.9066653)
    #expect(first.continuation.text.hasPrefix(" but that’s what we did"))
    let unscored = records.filter { record in
      [record.prompt.scores, record.continuation.scores].contains {
        [
          $0.toxicity, $0.threat, $0.insult, $0.profanity, $0.flirtation,
          $0.severeToxicity, $0.identityAttack, $0.sexuallyExplicit,
        ].contains(nil)
      }
    }
    #expect(unscored.count == 19)
  }

  static let prompt = #""prompt": {"text": "Hi", "toxicity": null}"#
  static let continuation = #""continuation": {"text": " there", "toxicity": 0.7}"#

  @Test func keepsNullScores() throws {
    let line =
      #"{"filename": "a.txt", "begin": 1, "end": 9, "challenging": false, "#
      + Self.prompt + ", " + Self.continuation + "}\n"
    let url = try TestData.file("null.jsonl", line)
    let record = try #require(try RealToxicityPromptsLoader.records(at: url).first)
    #expect(record.prompt.scores.toxicity == nil)
    #expect(record.prompt.isToxic == nil)
    #expect(record.continuation.isToxic == true)
  }

  @Test func missingFieldNamesTheLine() throws {
    let good =
      #"{"filename": "a.txt", "begin": 1, "end": 9, "#
      + Self.prompt + ", " + Self.continuation + "}"
    let bad =
      #"{"filename": "b.txt", "begin": 1, "end": 9, "#
      + #""prompt": {"toxicity": 0.1}, "# + Self.continuation + "}"
    let url = try TestData.file("missing.jsonl", good + "\n\n" + bad + "\n")
    #expect(
      throws: TextDataError.missingField(file: url.path, line: 3, field: "prompt.text")
    ) {
      try RealToxicityPromptsLoader.records(at: url)
    }
  }

  @Test func brokenJSONNamesTheLine() throws {
    let url = try TestData.file("broken.jsonl", "{\"filename\": \n")
    #expect(
      throws: TextDataError.malformedJSON(
        file: url.path, line: 1, column: 1, reason: "not a JSON object")
    ) {
      try RealToxicityPromptsLoader.records(at: url)
    }
  }

  @Test func badUTF8NamesTheLine() throws {
    let good =
      #"{"filename": "a.txt", "begin": 1, "end": 9, "#
      + Self.prompt + ", " + Self.continuation + "}\n"
    let url = try TestData.file(
      "utf8.jsonl", Array((good + "{\"a\": \"").utf8) + [0xff, 0x22, 0x7d])
    #expect(throws: TextDataError.invalidUTF8(file: url.path, line: 2)) {
      try RealToxicityPromptsLoader.records(at: url)
    }
  }
}
