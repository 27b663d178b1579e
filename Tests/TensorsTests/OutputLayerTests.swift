import Testing

@testable import Tensors

@Suite struct OutputLayerTests {
  private static let targets = [3, 0, 6, 6, 1]

  /// Blocks of two rows over five rows exercise a partial last block.
  @Test(arguments: [2, 64])
  func gradientMatchesCentralDifferences(blockRows: Int) {
    var generator = RandomGenerator(seed: 17)
    let hidden = Tensor.randomNormal([5, 4], using: &generator)
    let embedding = Tensor.randomNormal([7, 4], using: &generator)
    let worst = GradientCheck.worstViolation(inputs: [hidden, embedding]) { tape, x in
      tape.outputLayer(
        hidden: x[0], embedding: x[1], targets: Self.targets, blockRows: blockRows
      ).logProbabilities
    }
    #expect(worst.violation <= 0, "\(worst.detail)")
  }

  @Test func agreesWithTheComposedLogitsPath() throws {
    var generator = RandomGenerator(seed: 18)
    let hidden = Parameter("h", Tensor.randomNormal([5, 4], using: &generator))
    let embedding = Parameter("wte", Tensor.randomNormal([7, 4], using: &generator))
    let upstream = Tensor.randomNormal([5], using: &generator)

    let fused = Tape()
    let (logProbabilities, entropy) = fused.outputLayer(
      hidden: hidden, embedding: embedding, targets: Self.targets, blockRows: 2)
    fused.backward(from: logProbabilities, gradient: upstream)
    let fusedGradients = try [#require(hidden.grad), #require(embedding.grad)]
    [hidden, embedding].zeroGradients()

    let composed = Tape()
    let logits = composed.matmul(hidden, embedding, transposeB: true)
    let reference = composed.logProbabilities(logits, targets: Self.targets)
    composed.backward(from: reference, gradient: upstream)
    #expect(isClose(logProbabilities.value.scalars, reference.value.scalars, tolerance: 1e-5))
    #expect(
      isClose(entropy.scalars, composed.entropy(logits).value.scalars, tolerance: 1e-5))
    #expect(isClose(fusedGradients[0].scalars, try #require(hidden.grad).scalars, tolerance: 1e-5))
    #expect(
      isClose(fusedGradients[1].scalars, try #require(embedding.grad).scalars, tolerance: 1e-5))
  }
}
