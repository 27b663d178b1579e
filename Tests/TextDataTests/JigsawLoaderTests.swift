import Foundation
import Testing

@testable import TextData

@Suite struct JigsawLoaderTests {
  static let counts: [(JigsawComment.Source, Int, Int)] = [
    (.train, 10_770, 3_468), (.test, 7_708, 3_854), (.balanced, 7_749, 2_138),
  ]

  @Test(arguments: counts)
  func readsTheRealFiles(source: JigsawComment.Source, records: Int, toxic: Int) throws {
    let comments = try JigsawLoader.comments(in: TestData.directory, source: source)
    #expect(comments.count == records)
    #expect(comments.count(where: \.isToxic) == toxic)
    #expect(Set(comments.map(\.id)).count == records)
  }

  @Test func keepsQuotedNewlinesAndDoubledQuotes() throws {
    let train = try JigsawLoader.comments(in: TestData.directory, source: .train)
    let comment = try #require(train.first { $0.id == "028f6f7f929bc208" })
    #expect(comment.text.hasPrefix("\" \n :::On the fish draft"))
    #expect(comment.text.hasSuffix("connected in some way?  \""))
    #expect(comment.labels["obscene"] == false)
    #expect(train.first?.labels["identity_hate"] == true)
  }

  @Test func parsesRFC4180Fields() throws {
    let csv = "comment_text,toxic\r\n\"a, \"\"b\"\"\nc\",1\nplain,0\n\"\",0"
    let url = try TestData.file("rfc.csv", csv)
    let comments = try JigsawLoader.comments(at: url, source: .balanced)
    #expect(comments.map(\.text) == ["a, \"b\"\nc", "plain", ""])
    #expect(comments.map(\.isToxic) == [true, false, false])
    #expect(comments.map(\.line) == [2, 4, 5])
    #expect(comments.map(\.id) == ["balanced:1", "balanced:2", "balanced:3"])
  }

  static let malformed: [(String, String, @Sendable (String) -> TextDataError)] = [
    (
      "comment_text,toxic\n\"fine\",0\n\"never closed,1\nmore,0\n", "unterminated",
      { .unterminatedQuote(file: $0, line: 3) }
    ),
    (
      "comment_text,toxic\nsay \"hi\",0\n", "stray",
      { .strayQuote(file: $0, line: 2) }
    ),
    (
      "comment_text,toxic\n\"ok\"x,0\n", "after",
      { .strayQuote(file: $0, line: 2) }
    ),
    (
      "comment_text,severe_toxic\nhello,0\n", "column",
      { .missingColumn(file: $0, column: "toxic", header: ["comment_text", "severe_toxic"]) }
    ),
    (
      "comment_text,toxic\nhello,0\nshort\n", "count",
      { .wrongFieldCount(file: $0, line: 3, expected: 2, got: 1) }
    ),
    (
      "comment_text,toxic\nhello,yes\n", "label",
      { .invalidLabel(file: $0, line: 2, column: "toxic", value: "yes") }
    ),
  ]

  @Test(arguments: malformed)
  func malformedFilesGiveTheirError(
    text: String, name: String, error: @Sendable (String) -> TextDataError
  ) throws {
    let url = try TestData.file(name + ".csv", text)
    #expect(throws: error(url.path)) {
      try JigsawLoader.comments(at: url, source: .train)
    }
  }

  @Test func badUTF8NamesTheLine() throws {
    let bytes = Array("comment_text,toxic\nok,0\n\"a".utf8) + [0xc3, 0x28] + Array("\",1\n".utf8)
    let url = try TestData.file("utf8.csv", bytes)
    #expect(throws: TextDataError.invalidUTF8(file: url.path, line: 3)) {
      try JigsawLoader.comments(at: url, source: .train)
    }
  }
}
