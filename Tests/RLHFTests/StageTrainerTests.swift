import Configuration
import Models
import Tensors
import Testing

@testable import RLHF

@Suite struct StageTrainerTests {
  static let configuration = GPTConfiguration(
    vocabularySize: 8, contextLength: 16, dModel: 16, layerCount: 1, headCount: 2,
    dropout: 0.1)

  /// Texts that cycle 1…6 from a varying start: fully predictable after the
  /// first token, so the loss must fall well below its start (ln 8 ≈ 2.08).
  static let cyclicTexts = (0..<24).map { start in (0..<10).map { 1 + (start + $0) % 6 } }

  @Test func languageModelTrainingLowersTheLossAndIsSeeded() throws {
    func run() throws -> [Double] {
      var generator = RandomGenerator(seed: 5)
      let model = try GPT(configuration: Self.configuration, generator: &generator)
      let trainer = LanguageModelTrainer(
        settings: TrainingSettings(epochs: 6, learningRate: 1e-2, batchSize: 5),
        sequenceLength: 8, padToken: 0, seed: 11)
      return try trainer.train(model, on: Self.cyclicTexts + [[3]])
    }
    let losses = try run()
    #expect(losses.count == 6)
    #expect((losses.last ?? .nan) < 0.5 * (losses.first ?? .nan), "\(losses)")
    #expect(try run() == losses)
  }

  /// 25 usable texts in batches of 2 make 13 steps an epoch: reported at
  /// every second step (⌈13 / 10⌉) and at the 13th, whose mean is the
  /// epoch's loss.
  @Test func trainingReportsItsProgressAboutEveryTenthOfAnEpoch() throws {
    var generator = RandomGenerator(seed: 5)
    let model = try GPT(configuration: Self.configuration, generator: &generator)
    let trainer = LanguageModelTrainer(
      settings: TrainingSettings(epochs: 2, learningRate: 1e-2, batchSize: 2),
      sequenceLength: 8, padToken: 0, seed: 11)
    var reports: [StageProgress] = []
    let losses = try trainer.train(model, on: Self.cyclicTexts + [[1, 2], [3]]) {
      reports.append($0)
    }
    let steps = [2, 4, 6, 8, 10, 12, 13]
    #expect(reports.map(\.step) == steps + steps)
    #expect(reports.map(\.epoch) == Array(repeating: 0, count: 7) + Array(repeating: 1, count: 7))
    #expect(reports.allSatisfy { $0.steps == 13 && $0.epochs == 2 })
    let ends = reports.filter(\.epochEnded)
    #expect(ends.map(\.meanLoss) == losses)
    #expect(ends.first?.description == "epoch 1/2: loss \(losses[0])")
    #expect(reports.first?.description.hasPrefix("epoch 1/2, step 2/13: loss ") == true)
  }

  @Test func languageModelTrainingRefusesUnusableInput() throws {
    var generator = RandomGenerator(seed: 5)
    let model = try GPT(configuration: Self.configuration, generator: &generator)
    let trainer = LanguageModelTrainer(
      settings: TrainingSettings(epochs: 1, learningRate: 1e-2, batchSize: 4),
      sequenceLength: 8, padToken: 0, seed: 0)
    #expect(throws: RLHFError.emptyInput(name: "training texts of at least 2 tokens")) {
      _ = try trainer.train(model, on: [[1], []])
    }
    var bad = trainer
    bad.settings.learningRate = 0
    #expect(throws: RLHFError.self) { _ = try bad.train(model, on: Self.cyclicTexts) }
  }

  /// Label 1 when the text ends in a token ≥ 4 (the classifier reads the
  /// last real token), 0 otherwise: separable, so training accuracy must
  /// pass 90 %; the reward model then gives sign · logit of its class.
  @Test func classifierLearnsAndScoresAsAReward() throws {
    var random = RandomGenerator(seed: 8)
    let texts = (0..<48).map { _ in (0..<5).map { _ in Int.random(in: 1..<8, using: &random) } }
    let labels = texts.map { ($0.last ?? 0) >= 4 ? 1 : 0 }
    var generator = RandomGenerator(seed: 6)
    let classifier = try SequenceClassifier(
      configuration: Self.configuration, classCount: 2, generator: &generator)
    let trainer = ClassifierTrainer(
      settings: TrainingSettings(epochs: 12, learningRate: 1e-2, batchSize: 8),
      sequenceLength: 8, padToken: 0, seed: 2)
    let losses = try trainer.train(classifier, on: texts, labels: labels)
    #expect((losses.last ?? .nan) < (losses.first ?? .nan))

    let logits = try classifier.scores(texts, padToken: 0, batchSize: 16)
    let correct = zip(logits, labels).filter { ($0.0[1] > $0.0[0] ? 1 : 0) == $0.1 }.count
    #expect(correct >= 44, "\(correct) of 48")

    let reward = try ClassifierRewardModel(
      classifier: classifier, classIndex: 1, sign: -1, padToken: 0, batchSize: 5)
    let prompts = texts.prefix(6).map { Array($0.prefix(2)) }
    let responses = texts.prefix(6).map { Array($0.dropFirst(2)) }
    let scores = try reward.scores(prompts: prompts, responses: responses)
    for index in 0..<6 {
      #expect(isClose(scores[index], -Double(logits[index][1]), tolerance: 1e-5))
    }
    #expect(throws: RLHFError.self) {
      _ = try ClassifierRewardModel(classifier: classifier, classIndex: 2, sign: 1, padToken: 0)
    }
    #expect(throws: RLHFError.shapeMismatch(name: "labels", expected: 48, got: 1)) {
      _ = try trainer.train(classifier, on: texts, labels: [0])
    }
  }
}
