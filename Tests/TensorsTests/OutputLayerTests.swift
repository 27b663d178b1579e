import Testing

@testable import Tensors

@Suite struct OutputLayerTests {
  private static let targets = [3, 0, 6, 6, 1]

  /// Which outputs of the fused layer the checked quantity uses.
  enum Use: String, CaseIterable, Sendable {
    case logProbabilities, entropy, both
  }

  /// Blocks of two rows over five rows exercise a partial last block; a
  /// kept-logits limit of 0 makes the backward pass recompute the logits,
  /// the default keeps them from the forward pass.
  @Test(arguments: [(2, nil), (2, 0), (64, nil), (64, 0)] as [(Int, Int?)], Use.allCases)
  func gradientMatchesCentralDifferences(blocking: (Int, Int?), use: Use) {
    let (blockRows, keptLogitsLimit) = blocking
    var generator = RandomGenerator(seed: 17)
    let hidden = Tensor.randomNormal([5, 4], using: &generator)
    let embedding = Tensor.randomNormal([7, 4], using: &generator)
    let worst = GradientCheck.worstViolation(inputs: [hidden, embedding]) { tape, x in
      let (logProbabilities, entropy) = tape.outputLayer(
        hidden: x[0], embedding: x[1], targets: Self.targets, blockRows: blockRows,
        keptLogitsLimit: keptLogitsLimit)
      switch use {
      case .logProbabilities: return logProbabilities
      case .entropy: return entropy
      case .both: return tape.concatenate([logProbabilities, entropy], axis: 0)
      }
    }
    #expect(worst.violation <= 0, "\(worst.detail)")
  }

  /// Tolerance 1e-5 (Float32 sums in another order), with the logits kept
  /// from the forward pass (default limit) and recomputed (limit 0).
  @Test(arguments: [nil, 0] as [Int?])
  func agreesWithTheComposedLogitsPath(keptLogitsLimit: Int?) throws {
    var generator = RandomGenerator(seed: 18)
    let hidden = Parameter("h", Tensor.randomNormal([5, 4], using: &generator))
    let embedding = Parameter("wte", Tensor.randomNormal([7, 4], using: &generator))
    let upstream = Tensor.randomNormal([5], using: &generator)
    let entropyUpstream = Tensor.randomNormal([5], using: &generator)

    let fused = Tape()
    let (logProbabilities, entropy) = fused.outputLayer(
      hidden: hidden, embedding: embedding, targets: Self.targets, blockRows: 2,
      keptLogitsLimit: keptLogitsLimit)
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

  /// Kept logits serve one backward pass (which overwrites them); a second
  /// backward pass on the same tape recomputes them and adds the same
  /// gradient again.
  @Test func secondBackwardPassRecomputesKeptLogits() throws {
    var generator = RandomGenerator(seed: 19)
    let hidden = Parameter("h", Tensor.randomNormal([5, 4], using: &generator))
    let embedding = Parameter("wte", Tensor.randomNormal([7, 4], using: &generator))
    let upstream = Tensor.randomNormal([5], using: &generator)
    let tape = Tape()
    let (logProbabilities, _) = tape.outputLayer(
      hidden: hidden, embedding: embedding, targets: Self.targets, blockRows: 2)
    tape.backward(seeds: [(logProbabilities, upstream)])
    let once = try #require(embedding.grad).scalars
    tape.backward(seeds: [(logProbabilities, upstream)])
    let twice = try #require(embedding.grad).scalars
    #expect(once.contains { abs($0) > 1e-2 })
    #expect(isClose(twice, once.map { 2 * $0 }, tolerance: 1e-5))
  }
}
