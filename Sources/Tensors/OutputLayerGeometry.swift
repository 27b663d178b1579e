import Foundation

/// The extents and kernels of the fused output layer
/// (`Tape.logProbabilities(hidden:embedding:targets:)`): logits are made
/// by BLAS `block` rows at a time when they are not kept (so memory stays
/// O(block · V)), all at once when they are.
struct OutputLayerGeometry {
  /// Per-row results of the forward pass that the backward pass needs.
  struct RowStatistics {
    /// log Σ exp of each row's logits.
    var normalisers: [Float]
    /// Σ p·x of each row (the expected logit).
    var expectations: [Float]
    /// The entropy of each row, `normaliser − expectation`.
    var entropies: [Float]
    /// The largest logit of each row, the shift of its kept exponentials.
    var shifts: [Float]

    init(rows: Int) {
      normalisers = [Float](repeating: 0, count: rows)
      expectations = [Float](repeating: 0, count: rows)
      entropies = [Float](repeating: 0, count: rows)
      shifts = [Float](repeating: 0, count: rows)
    }
  }

  let rows: Int
  let vocabulary: Int
  let width: Int
  let block: Int

  /// Writes each row's target log-probability to `y` and fills
  /// `statistics`; with `keep`, also returns every row's shifted
  /// exponentials exp(x − shift) (`[rows, V]`) for the backward pass, so
  /// that it needs neither a product nor an exponential to recover the
  /// probabilities; else nil.
  func forward(
    _ hidden: Tensor, _ embedding: Tensor, targets: [Int], into y: UnsafeMutablePointer<Float>,
    statistics: inout RowStatistics, keep: Bool = false
  ) -> KeptLogits? {
    let kept = keep ? KeptLogits(count: rows * vocabulary) : nil
    var blockLogits = [Float](repeating: 0, count: keep ? 0 : Swift.min(block, rows) * vocabulary)
    var products = [Float](repeating: 0, count: vocabulary)
    hidden.withPointer { h in
      embedding.withPointer { w in
        blockLogits.withUnsafeMutableBufferPointer { logitBuffer in
          products.withUnsafeMutableBufferPointer { productBuffer in
            let scratch = productBuffer.baseAddress ?? Kernels.emptyBase
            // Kept logits are made in one product (measured slightly faster
            // than blocks of `block` rows, which only bound the memory).
            let step = keep ? Swift.max(rows, 1) : block
            for start in stride(from: 0, to: rows, by: step) {
              let count = Swift.min(step, rows - start)
              let z =
                kept.map { $0.base + start * vocabulary }
                ?? logitBuffer.baseAddress ?? Kernels.emptyBase
              BLAS.gemm(
                h + start * width, w, z, m: count, n: vocabulary, k: width, transposeB: true)
              for local in 0..<count {
                let row = start + local
                let x = z + local * vocabulary
                let target = x[targets[row]]
                let shift = Kernels.maximum(x, count: vocabulary)
                // The logits become their shifted exponentials in place.
                let weighted = Kernels.exponentialsInPlace(
                  x, weightedBy: scratch, count: vocabulary, shift: shift)
                let total = Kernels.sum(x, count: vocabulary)
                let normaliser = shift + Foundation.log(total)
                let expectation = weighted / total
                statistics.shifts[row] = shift
                statistics.normalisers[row] = normaliser
                statistics.expectations[row] = expectation
                statistics.entropies[row] = normaliser - expectation
                y[row] = target - normaliser
              }
            }
          }
        }
      }
    }
    return kept
  }

  /// Takes the shifted exponentials (from `kept`, which it overwrites, all
  /// rows at once; else block by block from logits recomputed by BLAS),
  /// turns them into ∂/∂logits = g·(one-hot − p) − gH·p·(x − Σ p·x), and
  /// multiplies into the gradients of the hidden states and the embedding
  /// (each written with its `beta`: 0 overwrites, 1 adds).
  func backward(
    _ hidden: Tensor, _ embedding: Tensor, targets: [Int], statistics: RowStatistics,
    upstream: (logProbabilities: Tensor, entropy: Tensor?),
    hidden dh: (UnsafeMutablePointer<Float>?, Float),
    embedding dw: (UnsafeMutablePointer<Float>?, Float), kept: KeptLogits? = nil
  ) {
    if rows == 0, let gradient = dw.0, dw.1 == 0 {
      gradient.update(repeating: 0, count: vocabulary * width)
    }
    // Kept exponentials cover every row: one product for each gradient.
    let step = kept == nil ? block : Swift.max(rows, 1)
    var scratch = [Float](
      repeating: 0, count: kept == nil ? Swift.min(block, rows) * vocabulary : 0)
    let entropyUpstream = upstream.entropy ?? Tensor.zeros([rows])
    upstream.logProbabilities.withPointer { g in
      entropyUpstream.withPointer { gH in
        hidden.withPointer { h in
          embedding.withPointer { w in
            scratch.withUnsafeMutableBufferPointer { buffer in
              for start in stride(from: 0, to: rows, by: step) {
                let count = Swift.min(step, rows - start)
                let z: UnsafeMutablePointer<Float>
                if let kept {
                  z = kept.base + start * vocabulary
                } else {
                  z = buffer.baseAddress ?? Kernels.emptyBase
                  BLAS.gemm(
                    h + start * width, w, z, m: count, n: vocabulary, k: width,
                    transposeB: true)
                }
                for local in 0..<count {
                  let row = start + local
                  // exp(x − normaliser) = scale · exp(x − shift) for kept
                  // exponentials; recomputed logits are shifted by 0.
                  let shift = kept == nil ? 0 : statistics.shifts[row]
                  logitGradient(
                    z + local * vocabulary, exponentials: kept != nil, shift: shift,
                    target: targets[row], upstream: g[row], entropyUpstream: gH[row],
                    normaliser: statistics.normalisers[row],
                    expectation: statistics.expectations[row])
                }
                if let gradient = dh.0 {
                  BLAS.gemm(
                    z, w, gradient + start * width, m: count, n: width, k: vocabulary,
                    beta: dh.1)
                }
                if let gradient = dw.0 {
                  BLAS.gemm(
                    z, h + start * width, gradient, m: vocabulary, n: width, k: count,
                    transposeA: true, beta: start == 0 ? dw.1 : 1)
                }
              }
            }
          }
        }
      }
    }
  }

  /// Replaces one row `z` by the gradient with respect to its logits; `z`
  /// holds the logits, or with `exponentials` exp(logit − `shift`).
  @inline(__always)
  private func logitGradient(
    _ z: UnsafeMutablePointer<Float>, exponentials: Bool, shift: Float, target: Int,
    upstream: Float, entropyUpstream: Float, normaliser: Float, expectation: Float
  ) {
    if exponentials {
      let scale = Foundation.exp(shift - normaliser)
      if entropyUpstream == 0 {
        let factor = -upstream * scale
        for column in 0..<vocabulary { z[column] *= factor }
      } else {
        for column in 0..<vocabulary {
          let p = scale * z[column]
          // x − Σ p·x from the exponential; a vanishing p (a masked or
          // underflowed logit) gets no entropy gradient.
          let centred = Foundation.log(z[column]) + shift - expectation
          let entropyTerm = p > 0 ? entropyUpstream * p * centred : 0
          z[column] = -upstream * p - entropyTerm
        }
      }
    } else if entropyUpstream == 0 {
      for column in 0..<vocabulary {
        z[column] = -upstream * Kernels.exp(z[column] - normaliser)
      }
    } else {
      for column in 0..<vocabulary {
        let p = Kernels.exp(z[column] - normaliser)
        // A masked logit (p = 0, x = -infinity) gets no gradient.
        let entropyTerm = p > 0 ? entropyUpstream * p * (z[column] - expectation) : 0
        z[column] = -upstream * p - entropyTerm
      }
    }
    z[target] += upstream
  }
}

/// Shifted exponentials of the logits, `[rows, V]`, that the fused output
/// layer's forward pass keeps for its backward pass, which overwrites them
/// with the logits' gradient (so they serve one backward pass).
final class KeptLogits {
  let base: UnsafeMutablePointer<Float>
  let count: Int

  /// Uninitialised storage for `count` scalars.
  init(count: Int) {
    self.count = count
    base = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
  }

  deinit { base.deallocate() }
}
