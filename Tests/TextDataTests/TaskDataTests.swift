import Foundation
import Testing

@testable import TextData

@Suite struct TaskDataTests {
  static func imdb(seed: UInt64 = 0, every step: Int = 1) throws -> TaskData {
    let gpt2 = try #require(TestData.gpt2)
    let reviews = try TestData.imdb.get()
    let sample = stride(from: 0, to: reviews.count, by: step).map { reviews[$0] }
    var settings = TaskDataSettings.paper(.imdb, seed: seed)
    if step > 1 { settings.evaluationCount = 200 }
    return try TaskData.imdb(reviews: sample, tokenizer: gpt2, settings: settings)
  }

  @Test func imdbSetsFollowThePaper() throws {
    let gpt2 = try #require(TestData.gpt2)
    let data = try Self.imdb()
    // 24,889 train reviews are longer than 200 characters: M = 194 at B = 128.
    #expect(data.trainingPrompts.count == 24_889)
    #expect(data.trainingPrompts.count { $0.textClass == .positive } == 12_437)
    #expect(data.trainingPrompts.allSatisfy { $0.id.hasPrefix("train/") })
    #expect(data.trainingPrompts.allSatisfy { $0.tokens.count <= 64 })
    #expect(data.trainingPrompts.count { $0.tokens.count == 64 } > 24_000)
    #expect(data.evaluationPrompts.count == 5_000)
    #expect(Set(data.evaluationPrompts.map(\.id)).count == 5_000)
    #expect(data.evaluationPrompts.allSatisfy { $0.id.hasPrefix("test/") })
    #expect(data.perplexityTexts.count == 12_500)
    #expect(data.perplexityTexts.allSatisfy { $0.textClass == .positive })
    #expect(data.perplexityTexts.map { $0.text.unicodeScalars.count }.max() == 1_000)
    #expect(data.languageModelTexts.count == 25_000)
    #expect(data.fineTuningTexts.count == 12_500)
    let reward = Set(data.rewardTexts.map(\.id))
    let judge = Set(data.judgeTexts.map(\.id))
    #expect(reward.count == 12_500 && judge.count == 12_500)
    #expect(reward.isDisjoint(with: judge))
    #expect(data.judgeTexts.count { $0.textClass == .positive } == 6_250)
    #expect(data.classifierTestTexts.count == 25_000)

    let reviews = try TestData.imdb.get()
    let first = try #require(data.trainingPrompts.first)
    let review = try #require(reviews.first { $0.key == first.id })
    #expect(first.tokens == Array(gpt2.encode(review.text).prefix(64)))
    #expect(first.text == gpt2.decode(first.tokens))
  }

  @Test func setsArePureFunctionsOfTheSeed() throws {
    let first = try Self.imdb(seed: 7, every: 25)
    let again = try Self.imdb(seed: 7, every: 25)
    let other = try Self.imdb(seed: 8, every: 25)
    #expect(first.evaluationPrompts == again.evaluationPrompts)
    #expect(first.trainingPrompts == again.trainingPrompts)
    #expect(first.judgeTexts == again.judgeTexts)
    #expect(first.evaluationPrompts.map(\.id) != other.evaluationPrompts.map(\.id))
  }

  /// A cut of 300 characters gives the same perplexity texts, in the same
  /// order, as the paper's 1,000 cut to 300: the first 300 characters of
  /// each, and no longer.
  @Test func perplexityCharactersCutThePerplexityTexts() throws {
    let gpt2 = try #require(TestData.gpt2)
    let reviews = try TestData.imdb.get()
    let sample = stride(from: 0, to: reviews.count, by: 25).map { reviews[$0] }
    var settings = TaskDataSettings.paper(.imdb)
    settings.evaluationCount = 200
    let paper = try TaskData.imdb(reviews: sample, tokenizer: gpt2, settings: settings)
    settings.perplexityCharacters = 300
    let short = try TaskData.imdb(reviews: sample, tokenizer: gpt2, settings: settings)

    #expect(paper.perplexityTexts.map { $0.text.unicodeScalars.count }.max() == 1_000)
    #expect(short.perplexityTexts.map { $0.text.unicodeScalars.count }.max() == 300)
    #expect(short.perplexityTexts.map(\.id) == paper.perplexityTexts.map(\.id))
    func cut(_ text: String) -> String {
      String(String.UnicodeScalarView(text.unicodeScalars.prefix(300)))
    }
    #expect(short.perplexityTexts.map(\.text) == paper.perplexityTexts.map { cut($0.text) })
    #expect(short.trainingPrompts == paper.trainingPrompts)
  }

  @Test func jigsawSetsFollowThePaper() throws {
    let gpt2 = try #require(TestData.gpt2)
    let data = try TaskData.load(
      .jigsaw, from: TestData.directory, tokenizer: gpt2, settings: .paper(.jigsaw))
    // 6,277 non-toxic and 2,321 + 137 toxic comments are longer than 64
    // characters: 8,193 prompts, 2,457 of them toxic (30 %).
    #expect(data.trainingPrompts.count == 8_193)
    #expect(data.trainingPrompts.count { $0.textClass == .toxic } == 2_457)
    // train.csv alone has too few long toxic comments: the share is topped up.
    #expect(data.trainingPrompts.contains { $0.id.hasPrefix("balanced:") })
    #expect(data.trainingPrompts.allSatisfy { (1...8).contains($0.tokens.count) })
    #expect(data.evaluationPrompts.count == 7_708)
    #expect(data.evaluationPrompts.count { $0.textClass == .toxic } == 3_854)
    #expect(data.perplexityTexts.count == 3_854)
    #expect(data.perplexityTexts.allSatisfy { $0.text.unicodeScalars.count <= 500 })
    #expect(data.languageModelTexts.count == 10_770 + 7_749)
    #expect(data.fineTuningTexts.count == (10_770 - 3_468) + (7_749 - 2_138))
    #expect(data.rewardTexts.count + data.judgeTexts.count == 18_519)
  }

  @Test func realToxicityPromptsSplitsFollowThePaper() throws {
    let gpt2 = try #require(TestData.gpt2)
    let data = try TaskData.load(
      .realtoxicityprompts, from: TestData.directory, tokenizer: gpt2,
      settings: .paper(.realtoxicityprompts))
    #expect(data.evaluationPrompts.count == 1_000)
    #expect(data.evaluationPrompts.count { $0.textClass == .toxic } == 500)
    // The rest, 903 non-toxic and 493 toxic, allow 1,290 at 70/30.
    #expect(data.trainingPrompts.count == 1_290)
    #expect(data.trainingPrompts.count { $0.textClass == .toxic } == 387)
    let test = Set(data.evaluationPrompts.map(\.id))
    #expect(test.isDisjoint(with: data.trainingPrompts.map(\.id)))
    #expect(data.trainingPrompts.allSatisfy { $0.tokens.count <= 32 })
    #expect(data.perplexityTexts.count == 500)
    #expect(data.languageModelTexts.count == 2_396 - 1_000)
  }

  @Test func mixKeepsThirtyPercentOfTheOtherClass() {
    let desired = (0..<100).map { LabeledText(id: "d\($0)", textClass: .nonToxic, text: "") }
    let other = (0..<20).map { LabeledText(id: "o\($0)", textClass: .toxic, text: "") }
    let mixed = TaskData.mix(desired: desired, other: other, share: (3, 10), seed: 1)
    #expect(mixed.count == 66)
    #expect(mixed.count { $0.textClass == .toxic } == 19)
    #expect(Set(mixed.map(\.id)).count == 66)
  }

  @Test func tooLargeAnEvaluationSetIsAnError() throws {
    let gpt2 = try #require(TestData.gpt2)
    var settings = TaskDataSettings.paper(.imdb)
    settings.evaluationCount = 30_000
    #expect(
      throws: TextDataError.notEnoughRecords(
        what: "IMDB test reviews longer than 200 characters", needed: 30_000,
        available: 24_859)
    ) {
      try TaskData.imdb(reviews: TestData.imdb.get(), tokenizer: gpt2, settings: settings)
    }
  }

  static let badSettings: [(TaskDataSettings, String)] = [
    (TaskDataSettings(promptTokens: 0), "prompt tokens must be at least 1, got 0"),
    (
      TaskDataSettings(promptTokens: 8, judgeFraction: 1),
      "judge fraction must be in (0, 1), got 1.0"
    ),
    (
      TaskDataSettings(promptTokens: 8, perplexityCharacters: 0),
      "perplexity characters must be at least 1, got 0"
    ),
  ]

  @Test(arguments: badSettings)
  func badSettingsAreRefused(settings: TaskDataSettings, message: String) throws {
    let gpt2 = try #require(TestData.gpt2)
    #expect {
      try TaskData.realToxicityPrompts(records: [], tokenizer: gpt2, settings: settings)
    } throws: { error in
      (error as? TextDataError)?.description == message
    }
  }

  @Test func unknownTaskNamesTheChoices() throws {
    #expect(throws: TextDataError.unknownTask("imbd")) { try TaskName(parsing: "imbd") }
    #expect(
      TextDataError.unknownTask("imbd").description
        == "unknown task 'imbd' (expected: imdb, jigsaw, realtoxicityprompts)")
    #expect(try TaskName(parsing: "jigsaw") == .jigsaw)
  }
}
