import Foundation
import Models
import Tensors
import Testing

@Suite struct SequenceClassifierTests {
  static let configuration = GPTConfiguration(
    vocabularySize: 12, contextLength: 16, dModel: 24, layerCount: 2, headCount: 3,
    dropout: 0)

  /// Sequences of 3 to 8 tokens drawn from one of three disjoint ranges
  /// (1…3, 4…7, 8…11), the range being the class: separable, but only by
  /// attending from the last token over the whole sequence.
  static func examples(
    _ count: Int, generator: inout RandomGenerator
  ) -> (sequences: [[Int]], labels: [Int]) {
    let ranges = [1...3, 4...7, 8...11]
    var sequences: [[Int]] = []
    var labels: [Int] = []
    for _ in 0..<count {
      let label = Int(generator.next() % 3)
      let length = 3 + Int(generator.next() % 6)
      let range = ranges[label]
      sequences.append(
        (0..<length).map { _ in range.lowerBound + Int(generator.next() % UInt64(range.count)) })
      labels.append(label)
    }
    return (sequences, labels)
  }

  static func accuracy(_ scores: [[Float]], _ labels: [Int]) -> Double {
    let right = zip(scores, labels).filter { row, label in
      row.indices.max { row[$0] < row[$1] } == label
    }
    return Double(right.count) / Double(labels.count)
  }

  @Test func learnsASeparableToyTask() throws {
    var generator = RandomGenerator(seed: 21)
    let classifier = try SequenceClassifier(
      configuration: Self.configuration, classCount: 3, generator: &generator)
    var data = generator.derived("data")
    let train = Self.examples(48, generator: &data)
    let heldOut = Self.examples(48, generator: &data)
    let optimizer = AdamW(parameters: classifier.parameters, learningRate: 3e-3)
    var none: RandomGenerator? = nil
    let before = Self.accuracy(
      try classifier.scores(heldOut.sequences, padToken: 0, batchSize: 16), heldOut.labels)
    var losses: [Float] = []
    for _ in 0..<15 {
      for start in stride(from: 0, to: 48, by: 16) {
        let batch = TokenBatch.leftPadded(
          Array(train.sequences[start..<(start + 16)]), padToken: 0)
        losses.append(
          try classifier.trainingStep(
            batch, labels: Array(train.labels[start..<(start + 16)]), optimizer: optimizer,
            dropout: &none))
      }
    }
    let after = Self.accuracy(
      try classifier.scores(heldOut.sequences, padToken: 0, batchSize: 16), heldOut.labels)
    #expect(before < 0.6, "untrained accuracy \(before)")
    #expect(after >= 0.9, "held-out accuracy after training \(after)")
    #expect(losses.suffix(3).allSatisfy { $0 < 0.1 }, "last losses \(losses.suffix(3))")
  }

  @Test func scoresUseTheLastRealTokenWhateverThePadding() throws {
    var generator = RandomGenerator(seed: 2)
    let classifier = try SequenceClassifier(
      configuration: Self.configuration, classCount: 2, generator: &generator)
    let sequences = [[4, 5, 6], [7, 8, 9, 10, 11], [1]]
    let batched = try classifier.scores(sequences, padToken: 0, batchSize: 3)
    let single = try sequences.map { sequence in
      try classifier.scores([sequence], padToken: 0, batchSize: 1)[0]
    }
    #expect(batched.count == 3 && batched.allSatisfy { $0.count == 2 })
    for (a, b) in zip(batched, single) {
      #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }, "\(a) vs \(b)")
    }
    #expect(batched[0] != batched[1])
  }

  @Test func labelsOutOfRangeAreRefused() throws {
    var generator = RandomGenerator(seed: 2)
    let classifier = try SequenceClassifier(
      configuration: Self.configuration, classCount: 2, generator: &generator)
    let batch = try TokenBatch(rows: [[1, 2], [3, 4]])
    var none: RandomGenerator? = nil
    #expect(throws: ModelsError.labelOutOfRange(label: 2, classCount: 2)) {
      try classifier.loss(batch, labels: [0, 2], tape: Tape(), dropout: &none)
    }
    #expect(throws: ModelsError.self) {
      try SequenceClassifier(
        configuration: Self.configuration, classCount: 0, generator: &generator)
    }
  }

  @Test func checkpointRoundTripUsesHuggingFaceNames() throws {
    var generator = RandomGenerator(seed: 8)
    let classifier = try SequenceClassifier(
      configuration: Self.configuration, classCount: 4, generator: &generator)
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("classifier-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try classifier.save(to: url)
    #expect(try SafeTensors.shapes(contentsOf: url)["score.weight"] == [4, 24])
    let loaded = try SequenceClassifier.load(from: url)
    #expect(loaded.classCount == 4)
    let batch = TokenBatch.leftPadded([[1, 2, 3], [4]], padToken: 0)
    #expect(try loaded.scores(batch) == classifier.scores(batch))
    // A language-model checkpoint has no score head: refused, head named.
    let lm = try GPT(configuration: Self.configuration, generator: &generator)
    try lm.save(to: url)
    #expect(throws: ModelsError.self) { try SequenceClassifier.load(from: url) }
    do { _ = try SequenceClassifier.load(from: url) } catch {
      #expect(error.description.contains("score.weight"))
    }
    // ... but its trunk initialises a classifier, whose head is kept.
    let head = loaded.scoreWeight.value
    #expect(try loaded.loadWeights(from: url) == ["score.weight"])
    #expect(loaded.scoreWeight.value == head)
    #expect(loaded.trunk.tokenEmbedding.value == lm.trunk.tokenEmbedding.value)
  }
}
