import Testing

@testable import Tensors

@Suite struct OutputLayerTests {
  private static let targets = [3, 0, 6, 6, 1]

  /// Which outputs of the fused layer the checked quantity uses.
  enum Use: String, CaseIterable, Sendable {
    case logProbabilities, entropy, both
  }

  /// Blocks of two rows over five rows exercise a partial last block.
  @Test(arguments: [2, 64], Use.allCases)
  func gradientMatchesCentralDifferences(blockRows: Int, use: Use) {
    var generator = RandomGenerator(seed: 17)
    let hidden = Tensor.randomNormal([5, 4], using: &generator)
    let embedding = Tensor.randomNormal([7, 4], using: &generator)
    let worst = GradientCheck.worstViolation(inputs: [hidden, embedding]) { tape, x in
      let (logProbabilities, entropy) = tape.outputLayer(
        hidden: x[0], embedding: x[1], targets: Self.targets, blockRows: blockRows)
      switch use {
      case .logProbabilities: return logProbabilities
      case .entropy: return entropy
      case .both: return tape.concatenate([logProbabilities, entropy], axis: 0)
      }
    }
    #expect(worst.violation <= 0, "\(worst.detail)")
  }

  @Test func agreesWithTheComposedLogitsPath() throws {
    var generator = RandomGenerator(seed: 18)
    let hidden = Parameter("h", Tensor.randomNormal([5, 4], using: &generator))
    let embedding = Parameter("wte", Tensor.randomNormal([7, 4], using: &generator))
    let upstream = Tensor.randomNormal([5], using: &generator)
    let entropyUpstream = Tensor.randomNormal([5], using: &generator)

    let fused = Tape()
    let (logProbabilities, entropy) = fused.outputLayer(
      hidden: hidden, embedding: embedding, targets: Self.targets, blockRows: 2)
    fused.backward(seeds: [(logProbabilities, upstream), (entropy, entropyUpstream)])
    let fusedGradients = try [#require(hidden.grad), #require(embedding.grad)]
    [hidden, embedding].zeroGradients()

    let composed = Tape()
    let logits = composed.matmul(hidden, embedding, transposeB: true)
    let reference = composed.logProbabilities(logits, targets: Self.targets)
    let referenceEntropy = composed.entropy(logits)
    composed.backward(seeds: [(reference, upstream), (referenceEntropy, entropyUpstream)])
    #expect(isClose(logProbabilities.value.scalars, reference.value.scalars, tolerance: 1e-5))
    #expect(isClose(entropy.value.scalars, referenceEntropy.value.scalars, tolerance: 1e-5))
    #expect(isClose(fusedGradients[0].scalars, try #require(hidden.grad).scalars, tolerance: 1e-5))
    #expect(
      isClose(fusedGradients[1].scalars, try #require(embedding.grad).scalars, tolerance: 1e-5))
  }
}
