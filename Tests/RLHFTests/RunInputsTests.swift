import Configuration
import Foundation
import Tensors
import Testing
import TextData
import Tracking

@testable import RLHF

@Suite struct RunInputsTests {
  /// Synthetic IMDB reviews of over 200 characters: positive ones praise,
  /// negative ones complain.
  static func reviews() -> [IMDBReview] {
    let praise = ["great", "wonderful", "moving", "superb", "charming"]
    let complaints = ["dull", "awful", "tedious", "clumsy", "boring"]
    var random = RandomGenerator(seed: 3)
    var reviews: [IMDBReview] = []
    for split in [IMDBReview.Split.train, .test] {
      for index in 0..<20 {
        let positive = index % 2 == 0
        let words = (0..<45).map { _ in
          (positive ? praise : complaints).randomElement(using: &random) ?? "film"
        }
        reviews.append(
          IMDBReview(
            id: index, split: split, label: positive ? .positive : .negative,
            rating: positive ? 9 : 2, text: "This film was " + words.joined(separator: " ")))
      }
    }
    return reviews
  }

  @Test func taskSetsBecomeTokenizedInputsWithStoredPrompts() throws {
    let reviews = Self.reviews()
    let tokenizer = try BPETrainer(vocabularySize: 300).train(on: reviews.map(\.text))
    let data = try TaskData.imdb(
      reviews: reviews, tokenizer: tokenizer,
      settings: TaskDataSettings(promptTokens: 6, seed: 0, evaluationCount: 8))
    var configuration = RunConfiguration.defaults(task: .imdb, preset: .tiny)
    configuration.model = ModelSettings(
      tokenizer: .bpe, vocabSize: 300, dModel: 16, layers: 1, heads: 2, context: 24)
    configuration.data.promptTokens = 6
    configuration.data.trainPrompts = 12
    configuration.data.evalPrompts = 5
    configuration.eval.perplexityTexts = 3

    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-inputs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Store(at: folder.appendingPathComponent("runs.sqlite"))
    let inputs = try RunInputs.make(
      from: data, tokenizer: tokenizer, configuration: configuration, store: store)

    #expect(inputs.trainPrompts.count == 12 && inputs.evalPrompts.count == 5)
    #expect(inputs.trainPrompts.allSatisfy { $0.count == 6 })
    #expect(inputs.corpus.allSatisfy { $0.count <= 24 })
    #expect(inputs.perplexityTexts.count == 3)
    #expect(inputs.perplexityTexts.allSatisfy { $0.first == tokenizer.endOfTextID })
    #expect(inputs.rewardSign == 1 && inputs.rewardClass == 1)
    let positives = data.rewardTexts.map { $0.textClass == .positive ? 1 : 0 }
    #expect(inputs.rewardLabels == positives)
    let stored = try store.rows("SELECT prompt_id, class FROM prompts ORDER BY id")
    #expect(stored.count == 17)
    #expect(
      try stored.first?.get("prompt_id", as: String.self) == data.trainingPrompts.first?.id)
    #expect(inputs.decode(inputs.trainPrompts[0]) == tokenizer.decode(inputs.trainPrompts[0]))

    configuration.model.vocabSize = 512
    #expect(throws: RLHFError.self) {
      _ = try RunInputs.make(
        from: data, tokenizer: tokenizer, configuration: configuration, store: store)
    }
  }
}
