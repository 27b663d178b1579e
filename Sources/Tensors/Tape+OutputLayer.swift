import Foundation

extension Tape {
  /// The log-probability of each target token and the entropy of each
  /// position's next-token distribution, computed straight from hidden
  /// states and a (tied) output embedding without ever holding the
  /// `[N, V]` logits: rows are processed in blocks, and the backward pass
  /// recomputes each block's logits.
  ///
  /// Equivalent to `logProbabilities(matmul(hidden, embedding,
  /// transposeB: true), targets:)` and `entropy(...)` of the same logits,
  /// values and gradients, but the memory is O(block · V) instead of
  /// O(N · V), which matters for a 50,257-token vocabulary and RLHF batches
  /// (128 × 112 positions would need 2.9 GB of logits and as much again for
  /// their gradient). The price is one more product per block in the
  /// backward pass (measured: +8% on a whole GPT-2 training step with
  /// V = 50,257, and 3.6× less peak memory).
  ///
  /// - Parameters:
  ///   - hidden: `[..., d]`, row-major (N rows after flattening).
  ///   - embedding: `[V, d]`, the output embedding (GPT-2 ties it to `wte`).
  ///   - targets: N ids in `0..<V`, row-major.
  /// - Returns: log-probabilities `[...]` and entropies `[...]` in nats,
  ///   both differentiable with respect to `hidden` and `embedding`.
  public func logProbabilities(
    hidden: Variable, embedding: Variable, targets: [Int]
  ) -> (logProbabilities: Variable, entropy: Variable) {
    outputLayer(hidden: hidden, embedding: embedding, targets: targets, blockRows: nil)
  }

  /// The most logits (64 Mi scalars, 256 MiB) a recorded fused output layer
  /// keeps from its forward pass (as their shifted exponentials) for its
  /// backward pass; larger ones are recomputed block by block. Keeping them
  /// saves one of the backward pass's three vocabulary-wide products and
  /// its exponentials.
  static let keptLogitsLimit = 1 << 26

  /// `logProbabilities(hidden:embedding:targets:)` with an explicit block
  /// height (rows of logits held at once; `nil` picks about 4 Mi scalars)
  /// and limit on kept logits (`nil`: `keptLogitsLimit`).
  func outputLayer(
    hidden: Variable, embedding: Variable, targets: [Int], blockRows: Int?,
    keptLogitsLimit: Int? = nil
  ) -> (logProbabilities: Variable, entropy: Variable) {
    precondition(embedding.value.rank == 2, "embedding must be [V, d], got \(embedding.shape)")
    let (vocabulary, width) = (embedding.shape[0], embedding.shape[1])
    precondition(
      hidden.value.rank >= 1 && hidden.shape[hidden.value.rank - 1] == width,
      "hidden \(hidden.shape) does not end in d = \(width)")
    let rows = hidden.value.count / Swift.max(width, 1)
    precondition(targets.count == rows, "\(targets.count) targets for \(rows) rows")
    for target in targets {
      precondition(
        target >= 0 && target < vocabulary, "target \(target) outside 0..<\(vocabulary)")
    }
    let geometry = OutputLayerGeometry(
      rows: rows, vocabulary: vocabulary, width: width,
      block: Swift.max(1, blockRows ?? (1 << 22) / Swift.max(vocabulary, 1)))
    let outputShape = Array(hidden.shape.dropLast())
    let (valueH, valueW) = (hidden.value, embedding.value)
    var statistics = OutputLayerGeometry.RowStatistics(rows: rows)
    let recorded = records(hidden, embedding)
    // A recorded pass keeps its logits' exponentials for the backward pass
    // when they fit `keptLogitsLimit` scalars (saving the recomputing
    // product and the exponentials).
    var keptLogits: KeptLogits?
    let logProbabilities = Tensor.build(outputShape) { y in
      keptLogits = geometry.forward(
        valueH, valueW, targets: targets, into: y, statistics: &statistics,
        keep: recorded && rows * vocabulary <= (keptLogitsLimit ?? Self.keptLogitsLimit))
    }
    let kept = KeptBox(keptLogits)
    let entropy = Tensor(shape: outputShape, scalars: statistics.entropies)
    // The entropy's upstream gradient, handed from its record (run first in
    // the reverse sweep) to the log-probabilities' record.
    let entropyGradient = GradientBox()
    let saved = statistics
    let logProbabilityOutput = output(logProbabilities, recorded: recorded) { gradient in
      let upstreamEntropy = entropyGradient.take()
      let backward = {
        (
          dh: UnsafeMutablePointer<Float>?, betaH: Float, dw: UnsafeMutablePointer<Float>?,
          betaW: Float
        ) in
        geometry.backward(
          valueH, valueW, targets: targets, statistics: saved,
          upstream: (gradient, upstreamEntropy), hidden: (dh, betaH), embedding: (dw, betaW),
          kept: kept.take())
      }
      switch (hidden.requiresGrad, embedding.requiresGrad) {
      case (true, true):
        hidden.accumulate(pointer: { dh, betaH in
          embedding.accumulate(pointer: { dw, betaW in backward(dh, betaH, dw, betaW) })
        })
      case (true, false):
        hidden.accumulate(pointer: { dh, betaH in backward(dh, betaH, nil, 0) })
      case (false, true):
        embedding.accumulate(pointer: { dw, betaW in backward(nil, 0, dw, betaW) })
      case (false, false):
        break
      }
    }
    let entropyOutput = output(entropy, recorded: recorded) { [weak logProbabilityOutput] g in
      entropyGradient.gradient = g
      // Make sure the shared record runs even when only the entropy has
      // an upstream gradient.
      if let logProbabilityOutput, logProbabilityOutput.grad == nil {
        logProbabilityOutput.grad = Tensor.zeros(outputShape)
      }
    }
    return (logProbabilityOutput, entropyOutput)
  }
}

/// Kept logits handed to the backward pass once (a second backward pass
/// recomputes them).
final class KeptBox {
  private var logits: KeptLogits?

  init(_ logits: KeptLogits?) { self.logits = logits }

  /// Returns the logits and empties the box.
  func take() -> KeptLogits? {
    defer { logits = nil }
    return logits
  }
}

/// A gradient handed from one record of the tape to another.
final class GradientBox {
  var gradient: Tensor?

  /// Returns the gradient and empties the box.
  func take() -> Tensor? {
    defer { gradient = nil }
    return gradient
  }
}
