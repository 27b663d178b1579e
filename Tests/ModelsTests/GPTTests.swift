import Foundation
import Models
import Tensors
import Testing

@Suite struct GPTTests {
  static let tiny = GPTConfiguration(
    vocabularySize: 17, contextLength: 24, dModel: 16, layerCount: 2, headCount: 4,
    dropout: 0.1)

  static func model(seed: UInt64 = 1, valueHead: Bool = true) throws -> GPT {
    var generator = RandomGenerator(seed: seed)
    let model = try GPT(configuration: tiny, valueHead: valueHead, generator: &generator)
    // Larger weights than GPT-2's 0.02 so outputs differ visibly by input.
    var weights = generator.derived("weights")
    for parameter in model.parameters where parameter.value.rank == 2 {
      parameter.assign(
        .randomNormal(parameter.value.shape, standardDeviation: 0.3, using: &weights))
    }
    return model
  }

  static func maxDifference(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
  }

  @Test func overfitsAFixedBatchToNearZeroLoss() throws {
    var generator = RandomGenerator(seed: 3)
    let configuration = GPTConfiguration(
      vocabularySize: 12, contextLength: 16, dModel: 32, layerCount: 2, headCount: 4,
      dropout: 0)
    let model = try GPT(configuration: configuration, generator: &generator)
    var draws = generator.derived("data")
    let rows = (0..<4).map { _ in (0..<10).map { _ in Int(draws.next() % 12) } }
    let batch = try TokenBatch(rows: rows)
    let optimizer = AdamW(parameters: model.parameters, learningRate: 1e-2)
    var none: RandomGenerator? = nil
    let first = try model.languageModelTrainingStep(batch, optimizer: optimizer, dropout: &none)
    var last = first
    for _ in 0..<120 {
      last = try model.languageModelTrainingStep(batch, optimizer: optimizer, dropout: &none)
    }
    #expect(first > 2, "an untrained model is near log 12 ≈ 2.48, got \(first)")
    #expect(last < 0.05, "loss after 120 steps: \(last)")
    #expect(try model.perplexity(of: [batch]) < 1.06)
  }

  @Test func leftPaddingDoesNotChangeRealPositions() throws {
    let model = try Self.model()
    let short = [5, 2, 9, 4]
    let long = [1, 3, 3, 7, 2, 8, 6]
    let padded = TokenBatch.leftPadded([short, long], padToken: 0)
    #expect(padded.positions[0..<7] == [0, 0, 0, 0, 1, 2, 3])
    let together = try model.evaluate(padded)
    let alone = try model.evaluate(TokenBatch(rows: [short]))
    let offset = 3
    // Predictions 3..<6 of row 0 are those of the short sequence alone.
    let paddedRow = together.logProbabilities.scalars[offset..<6]
    #expect(Self.maxDifference(paddedRow, alone.logProbabilities.scalars[0..<3]) < 1e-5)
    let values = try #require(together.values).scalars[offset..<7]
    let aloneValues = try #require(alone.values).scalars[0..<4]
    #expect(Self.maxDifference(values, aloneValues) < 1e-5)
    let longAlone = try model.evaluate(TokenBatch(rows: [long]))
    #expect(
      Self.maxDifference(
        together.logProbabilities.scalars[6..<12], longAlone.logProbabilities.scalars[0..<6])
        < 1e-5)
  }

  @Test func noGradEvaluationMatchesTheRecordedForward() throws {
    let model = try Self.model()
    let batch = TokenBatch.leftPadded([[1, 2, 3, 4, 5], [6, 7, 8]], padToken: 0)
    let tape = Tape()
    let outputs = try model.forward(batch, tape: tape)
    let evaluation = try model.evaluate(batch)
    #expect(outputs.logProbabilities.value == evaluation.logProbabilities)
    #expect(outputs.entropy.value == evaluation.entropy)
    #expect(outputs.values?.value == evaluation.values)
    #expect(evaluation.logProbabilities.shape == [2, 4])
    #expect(evaluation.values?.shape == [2, 5])
    #expect(tape.recordedCount > 0)
    // Log-probabilities agree with a log-softmax of the full logits.
    let logits = try model.logits(batch)
    let vocabulary = Self.tiny.vocabularySize
    let row = Array(logits.scalars[(1 * vocabulary)..<(2 * vocabulary)])
    let maximum = row.max() ?? 0
    let normaliser = maximum + log(row.map { exp($0 - maximum) }.reduce(0, +))
    #expect(abs(evaluation.logProbabilities.scalars[1] - (row[3] - normaliser)) < 1e-5)
  }

  @Test func predictionsFromASuffixMatchTheFullForward() throws {
    let model = try Self.model()
    let batch = TokenBatch.leftPadded([[1, 2, 3, 4, 5, 6], [7, 8, 9]], padToken: 0)
    let full = try model.evaluate(batch)
    let suffix = try model.evaluate(batch, predictionsFrom: 3)
    #expect(suffix.logProbabilities.shape == [2, 2])
    // Values of positions 3..<6 only; the last block skipped the others.
    let suffixValues = try #require(suffix.values)
    #expect(suffixValues.shape == [2, 3])
    for row in 0..<2 {
      let expected = try #require(full.values).scalars[(row * 6 + 3)..<(row * 6 + 6)]
      let found = suffixValues.scalars[(row * 3)..<(row * 3 + 3)]
      #expect(Self.maxDifference(expected, found) < 1e-6)
    }
    for row in 0..<2 {
      let expected = full.logProbabilities.scalars[(row * 5 + 3)..<(row * 5 + 5)]
      let found = suffix.logProbabilities.scalars[(row * 2)..<(row * 2 + 2)]
      #expect(Self.maxDifference(expected, found) < 1e-6)
      let entropy = full.entropy.scalars[(row * 5 + 3)..<(row * 5 + 5)]
      #expect(Self.maxDifference(entropy, suffix.entropy.scalars[(row * 2)..<(row * 2 + 2)]) < 1e-6)
    }
    #expect(throws: ModelsError.self) { try model.evaluate(batch, predictionsFrom: 5) }
  }

  @Test func dropoutIsSeededAndOnlyInTrainingMode() throws {
    let model = try Self.model()
    let batch = try TokenBatch(rows: [[1, 2, 3, 4, 5, 6]])
    var first = RandomGenerator(seed: 11)
    var second = RandomGenerator(seed: 11)
    let a = try model.forward(batch, tape: Tape(), dropout: &first)
    let b = try model.forward(batch, tape: Tape(), dropout: &second)
    let plain = try model.forward(batch, tape: Tape())
    #expect(a.logProbabilities.value == b.logProbabilities.value)
    #expect(a.logProbabilities.value != plain.logProbabilities.value)
    #expect(first == second)
    #expect(first != RandomGenerator(seed: 11))
  }

  @Test func perplexityIsTheExponentialOfTheMeanLoss() throws {
    let model = try Self.model()
    let batch = TokenBatch.leftPadded([[4, 8, 15, 16], [2, 3, 5, 7, 11, 13]], padToken: 0)
    var none: RandomGenerator? = nil
    let loss = try model.languageModelLoss(batch, tape: Tape(), dropout: &none)
    let perplexity = try model.perplexity(of: [batch])
    #expect(abs(log(perplexity) - Double(loss.value.scalar)) < 1e-5)
    let (total, count) = try model.negativeLogLikelihood(batch)
    #expect(count == 3 + 5)
    #expect(abs(total / count - Double(loss.value.scalar)) < 1e-5)
  }

  static let samplingCases: [SamplingOptions] = [
    SamplingOptions(),
    SamplingOptions(temperature: 0.7, topK: 5),
    SamplingOptions(temperature: 1.3, topP: 0.8),
  ]

  @Test(arguments: samplingCases)
  func cachedGenerationGivesTheTokensOfUncachedGeneration(sampling: SamplingOptions) throws {
    let model = try Self.model()
    let prompts = TokenBatch.leftPadded([[3, 1, 4, 1, 5], [9, 2], [6, 5, 3]], padToken: 0)
    var cachedStream = RandomGenerator(seed: 5)
    var plainStream = RandomGenerator(seed: 5)
    let cached = try model.generate(
      prompts, newTokens: 12, sampling: sampling, generator: &cachedStream)
    let plain = try model.generate(
      prompts, newTokens: 12, sampling: sampling, generator: &plainStream, usingCache: false)
    #expect(cached == plain)
    #expect(cached.allSatisfy { $0.count == 12 })
    #expect(cachedStream == plainStream)
    // A different stream gives different tokens (the draws matter).
    var other = RandomGenerator(seed: 6)
    let different = try model.generate(
      prompts, newTokens: 12, sampling: sampling, generator: &other)
    #expect(different != cached)
  }

  @Test func topKOfOneIsGreedyDecoding() throws {
    let model = try Self.model()
    let prompt = [2, 7, 1]
    var stream = RandomGenerator(seed: 9)
    let sampled = try model.generate(
      TokenBatch(rows: [prompt]), newTokens: 6, sampling: SamplingOptions(topK: 1),
      generator: &stream)
    var sequence = prompt
    for _ in 0..<6 {
      let logits = try model.logits(TokenBatch(rows: [sequence]))
      let vocabulary = Self.tiny.vocabularySize
      let last = Array(logits.scalars[((sequence.count - 1) * vocabulary)...])
      sequence.append(try #require(last.indices.max { last[$0] < last[$1] }))
    }
    #expect(sampled == [Array(sequence[3...])])
  }

  @Test func badGenerationArgumentsAreRefused() throws {
    let model = try Self.model()
    var stream = RandomGenerator(seed: 1)
    let prompts = try TokenBatch(rows: [[1, 2, 3]])
    #expect(throws: ModelsError.sequenceTooLong(length: 25, contextLength: 24)) {
      try model.generate(prompts, newTokens: 22, generator: &stream)
    }
    #expect(throws: ModelsError.self) {
      try model.generate(
        prompts, newTokens: 2, sampling: SamplingOptions(topP: 0), generator: &stream)
    }
    #expect(throws: ModelsError.tokenOutOfRange(token: 17, vocabularySize: 17)) {
      try model.generate(TokenBatch(rows: [[17]]), newTokens: 1, generator: &stream)
    }
  }

  @Test func checkpointRoundTripKeepsEveryWeight() throws {
    let model = try Self.model()
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("gpt-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    var generator = RandomGenerator(seed: 99)
    let loaded = try GPT.load(from: url, valueHead: true, generator: &generator)
    #expect(loaded.configuration == Self.tiny)
    for (a, b) in zip(model.parameters, loaded.parameters) {
      #expect(a.name == b.name)
      #expect(a.value == b.value, "\(a.name)")
    }
    let names = try SafeTensors.shapes(contentsOf: url)
    #expect(names["transformer.h.1.attn.c_attn.weight"] == [16, 48])
    #expect(names["v_head.summary.weight"] == [1, 16])
    #expect(names["lm_head.weight"] == nil)
    // A policy checkpoint reads as a plain language model too.
    let plain = try GPT.load(from: url, valueHead: false, generator: &generator)
    #expect(!plain.hasValueHead)
    #expect(
      try plain.logits(TokenBatch(rows: [[1, 2]])) == model.logits(TokenBatch(rows: [[1, 2]])))
    // A copy is independent of its original.
    let copy = model.copy()
    copy.parameters[0].assign(.zeros(copy.parameters[0].value.shape))
    #expect(model.parameters[0].value != copy.parameters[0].value)
  }

  @Test func huggingFaceStyleCheckpointLoadsAndValueHeadIsInitialised() throws {
    let model = try Self.model(valueHead: false)
    var entries: [String: SafeTensors.Entry] = [:]
    for parameter in model.parameters {
      let name = String(parameter.name.dropFirst("transformer.".count))
      entries[name] = .init(shape: parameter.value.shape, values: parameter.value.scalars)
    }
    entries["h.0.attn.bias"] = .init(shape: [1, 1, 1, 1], values: [1])
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("hf-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try SafeTensors.write(entries, to: url)
    var generator = RandomGenerator(seed: 4)
    #expect(throws: ModelsError.self) {
      try GPT.load(from: url, generator: &generator)
    }
    let loaded = try GPT.load(
      from: url, configuration: Self.tiny, valueHead: true, generator: &generator)
    #expect(loaded.hasValueHead)
    let batch = try TokenBatch(rows: [[1, 2, 3]])
    #expect(try loaded.logits(batch) == model.logits(batch))
  }

  @Test func badCheckpointsAreRefusedNamingTheTensor() throws {
    let model = try Self.model()
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("bad-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    var entries: [String: SafeTensors.Entry] = [:]
    for parameter in model.parameters {
      entries[parameter.name] = .init(
        shape: parameter.value.shape, values: parameter.value.scalars)
    }
    let before = model.parameters.map(\.value)

    var missing = entries
    missing["transformer.h.1.ln_2.bias"] = nil
    try SafeTensors.write(missing, to: url)
    #expect(
      throws: ModelsError.missingTensor(
        path: url.path, tensor: "transformer.h.1.ln_2.bias", expectedShape: [16])
    ) { try model.loadWeights(from: url) }

    var wrong = entries
    wrong["transformer.wte.weight"] = .init(
      shape: [16, 16], values: .init(repeating: 0, count: 256))
    try SafeTensors.write(wrong, to: url)
    #expect(
      throws: ModelsError.shapeMismatch(
        path: url.path, tensor: "transformer.wte.weight", expected: [17, 16], found: [16, 16])
    ) { try model.loadWeights(from: url) }

    let encoded = SafeTensors.encode(entries)
    try encoded.prefix(encoded.count - 10).write(to: url)
    #expect(throws: ModelsError.self) { try model.loadWeights(from: url) }
    #expect(model.parameters.map(\.value) == before, "a refused file changed weights")
  }
}
