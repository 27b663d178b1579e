import Foundation
import Tensors
import Testing

@testable import Models

/// The fused output layer (`GPT.forward`'s default) against the composed
/// one (logits on the tape, then log-softmax and entropy): the same
/// log-probabilities, entropies and values, and the same gradient for every
/// parameter when the backward pass is seeded with arbitrary upstream
/// gradients of all three outputs. Tolerance: 1e-5 on outputs, 1e-4 of the
/// largest gradient entry (Float32 sums taken in another order).
@Suite struct OutputLayerPathTests {
  static let batch = TokenBatch.leftPadded(
    [[1, 2, 3, 4, 5, 6, 7], [8, 9, 10], [11, 12, 13, 14, 15]], padToken: 0)

  struct Pass {
    var outputs: [Tensor]
    var gradients: [Tensor]
  }

  static func pass(
    _ model: GPT, first: Int, path: GPT.OutputLayerPath, entropySeeded: Bool
  ) throws -> Pass {
    for parameter in model.parameters { parameter.zeroGradient() }
    let tape = Tape()
    var none: RandomGenerator? = nil
    let outputs = try model.forward(
      batch, tape: tape, first: first, dropout: &none, outputLayer: path)
    let values = try #require(outputs.values)
    var seeds = RandomGenerator(seed: 77)
    var seeded = [
      (
        outputs.logProbabilities, Tensor.randomNormal(outputs.logProbabilities.shape, using: &seeds)
      ),
      (values, Tensor.randomNormal(values.shape, using: &seeds)),
    ]
    let entropySeed = Tensor.randomNormal(outputs.entropy.shape, using: &seeds)
    if entropySeeded { seeded.append((outputs.entropy, entropySeed)) }
    tape.backward(seeds: seeded)
    return Pass(
      outputs: [outputs.logProbabilities.value, outputs.entropy.value, values.value],
      gradients: try model.parameters.map { try #require($0.grad) })
  }

  @Test(arguments: [0, 3], [false, true])
  func fusedAndComposedAgree(first: Int, entropySeeded: Bool) throws {
    let model = try GPTTests.model(seed: 5)
    let fused = try Self.pass(model, first: first, path: .fused, entropySeeded: entropySeeded)
    let composed = try Self.pass(
      model, first: first, path: .composed, entropySeeded: entropySeeded)
    for (a, b) in zip(fused.outputs, composed.outputs) {
      #expect(a.shape == b.shape)
      #expect(GPTTests.maxDifference(a.scalars[...], b.scalars[...]) < 1e-5)
    }
    let largest = composed.gradients.flatMap(\.scalars).map(abs).max() ?? 0
    #expect(largest > 1e-2)  // the comparison must see real gradients
    for (parameter, (a, b)) in zip(model.parameters, zip(fused.gradients, composed.gradients)) {
      let difference = GPTTests.maxDifference(a.scalars[...], b.scalars[...])
      #expect(difference <= 1e-4 * largest, "\(parameter.name): \(difference)")
    }
  }

  /// The language-model loss (fused) equals the masked mean negative
  /// log-likelihood from the composed logits.
  @Test func languageModelLossMatchesTheLogits() throws {
    let model = try GPTTests.model(seed: 6)
    var none: RandomGenerator? = nil
    let loss = try model.languageModelLoss(Self.batch, tape: Tape(), dropout: &none)
    let (total, count) = try model.negativeLogLikelihood(Self.batch)
    let logits = try model.logits(Self.batch)
    let (rows, length, vocabulary) = (3, Self.batch.length, GPTTests.tiny.vocabularySize)
    var expected = 0.0
    for row in 0..<rows {
      for t in 0..<(length - 1) where Self.batch.predictionMask[row * (length - 1) + t] > 0 {
        let start = (row * length + t) * vocabulary
        let scores = logits.scalars[start..<(start + vocabulary)].map(Double.init)
        let top = scores.max() ?? 0
        let normaliser = top + log(scores.map { exp($0 - top) }.reduce(0, +))
        expected += normaliser - scores[Self.batch.tokens[row * length + t + 1]]
      }
    }
    #expect(abs(total - expected) < 1e-4 * expected)
    #expect(abs(Double(loss.value.scalar) - expected / count) < 1e-5)
  }

  /// `predictionsFrom: f` (the last block on positions f… only) leaves the
  /// same gradients as the full pass with zero upstream gradients before
  /// f (tolerance 1e-5 of the largest entry).
  @Test func suffixPassGivesTheFullPassGradients() throws {
    let model = try GPTTests.model(seed: 8)
    let first = 3
    let (rows, length) = (Self.batch.batchSize, Self.batch.length)
    var seeds = RandomGenerator(seed: 78)
    let logProbSeed = Tensor.randomNormal([rows, length - 1 - first], using: &seeds)
    let valueSeed = Tensor.randomNormal([rows, length - first], using: &seeds)
    func widened(_ seed: Tensor, width: Int) -> Tensor {
      let narrow = seed.shape[1]
      var scalars = [Float](repeating: 0, count: rows * width)
      for row in 0..<rows {
        for column in 0..<narrow {
          scalars[row * width + width - narrow + column] = seed.scalars[row * narrow + column]
        }
      }
      return Tensor(shape: [rows, width], scalars: scalars)
    }
    func gradients(from start: Int) throws -> [Tensor] {
      for parameter in model.parameters { parameter.zeroGradient() }
      let tape = Tape()
      let outputs = try model.forward(Self.batch, tape: tape, predictionsFrom: start)
      let values = try #require(outputs.values)
      let seeded =
        start == first
        ? [(outputs.logProbabilities, logProbSeed), (values, valueSeed)]
        : [
          (outputs.logProbabilities, widened(logProbSeed, width: length - 1)),
          (values, widened(valueSeed, width: length)),
        ]
      tape.backward(seeds: seeded)
      return try model.parameters.map { try #require($0.grad) }
    }
    let suffix = try gradients(from: first)
    let full = try gradients(from: 0)
    let largest = full.flatMap(\.scalars).map(abs).max() ?? 0
    #expect(largest > 1e-2)
    for (parameter, (a, b)) in zip(model.parameters, zip(suffix, full)) {
      let difference = GPTTests.maxDifference(a.scalars[...], b.scalars[...])
      #expect(difference <= 1e-5 * largest, "\(parameter.name): \(difference)")
    }
  }
}
