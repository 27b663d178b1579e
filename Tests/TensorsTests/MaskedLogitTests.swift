import Foundation
import Tensors
import Testing

@Suite struct MaskedLogitTests {
  /// Logits (0, log 3, -infinity): the masked token has probability 0, so
  /// the entropy is that of (1/4, 3/4) and every gradient stays finite.
  @Test func entropyIgnoresMaskedLogits() throws {
    let logits = Variable(
      Tensor(shape: [1, 3], scalars: [0, 1.098_612_3, -.infinity]), requiresGrad: true)
    let tape = Tape()
    let entropy = tape.entropy(logits)
    let expected: Float = -(0.25 * Foundation.log(0.25) + 0.75 * Foundation.log(0.75))
    #expect(Swift.abs(entropy.value.scalar - expected) < 1e-6)
    let logProbability = tape.logProbabilities(logits, targets: [1])
    #expect(Swift.abs(logProbability.value.scalar - Foundation.log(0.75)) < 1e-6)
    tape.backward(seeds: [(entropy, Tensor.ones([1])), (logProbability, Tensor.ones([1]))])
    let grad = try #require(logits.grad)
    #expect(grad.scalars.allSatisfy { $0.isFinite })
    #expect(grad.scalars[2] == 0)
  }

  @Test func fusedOutputLayerEntropyIgnoresMaskedLogits() {
    // One hidden unit: the logits are the embedding column times 1, the
    // last one masked.
    let hidden = Variable(Tensor(shape: [1, 1], scalars: [1]))
    let embedding = Variable(Tensor(shape: [3, 1], scalars: [0, 1.098_612_3, -.infinity]))
    let (_, entropy) = Tape(recording: false).logProbabilities(
      hidden: hidden, embedding: embedding, targets: [0])
    let expected: Float = -(0.25 * Foundation.log(0.25) + 0.75 * Foundation.log(0.75))
    #expect(Swift.abs(entropy.value.scalar - expected) < 1e-6)
  }
}
