import Foundation

/// The extents and kernels of the fused output layer
/// (`Tape.logProbabilities(hidden:embedding:targets:)`): logits are made
/// `block` rows at a time by BLAS and never kept.
struct OutputLayerGeometry {
  /// Per-row results of the forward pass that the backward pass needs.
  struct RowStatistics {
    /// log Σ exp of each row's logits.
    var normalisers: [Float]
    /// Σ p·x of each row (the expected logit).
    var expectations: [Float]
    /// The entropy of each row, `normaliser − expectation`.
    var entropies: [Float]

    init(rows: Int) {
      normalisers = [Float](repeating: 0, count: rows)
      expectations = [Float](repeating: 0, count: rows)
      entropies = [Float](repeating: 0, count: rows)
    }
  }

  let rows: Int
  let vocabulary: Int
  let width: Int
  let block: Int

  /// Writes each row's target log-probability to `y` and fills
  /// `statistics`; with `keep`, also returns every row's logits
  /// (`[rows, V]`) for the backward pass, else nil.
  func forward(
    _ hidden: Tensor, _ embedding: Tensor, targets: [Int], into y: UnsafeMutablePointer<Float>,
    statistics: inout RowStatistics, keep: Bool = false
  ) -> KeptLogits? {
    let kept = keep ? KeptLogits(count: rows * vocabulary) : nil
    var blockLogits = [Float](repeating: 0, count: keep ? 0 : Swift.min(block, rows) * vocabulary)
    var exponentials = [Float](repeating: 0, count: 2 * vocabulary)
    hidden.withPointer { h in
      embedding.withPointer { w in
        blockLogits.withUnsafeMutableBufferPointer { logitBuffer in
          exponentials.withUnsafeMutableBufferPointer { expBuffer in
            let e = expBuffer.baseAddress ?? Kernels.emptyBase
            let products = e + vocabulary
            for start in stride(from: 0, to: rows, by: block) {
              let count = Swift.min(block, rows - start)
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
                let total = Kernels.exponentials(x, e, count: vocabulary, shift: shift)
                let expectation =
                  Kernels.positiveWeightedSum(e, x, scratch: products, count: vocabulary)
                  / total
                let normaliser = shift + Foundation.log(total)
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

  /// Takes the logits block by block (from `kept`, which it overwrites,
  /// else recomputed by BLAS), turns them into
  /// ∂/∂logits = g·(one-hot − p) − gH·p·(x − Σ p·x), and multiplies into
  /// the gradients of the hidden states and the embedding (each written
  /// with its `beta`: 0 overwrites, 1 adds).
  func backward(
    _ hidden: Tensor, _ embedding: Tensor, targets: [Int], statistics: RowStatistics,
    upstream: (logProbabilities: Tensor, entropy: Tensor?),
    hidden dh: (UnsafeMutablePointer<Float>?, Float),
    embedding dw: (UnsafeMutablePointer<Float>?, Float), kept: KeptLogits? = nil
  ) {
    if rows == 0, let gradient = dw.0, dw.1 == 0 {
      gradient.update(repeating: 0, count: vocabulary * width)
    }
    var scratch = [Float](
      repeating: 0, count: kept == nil ? Swift.min(block, rows) * vocabulary : 0)
    let entropyUpstream = upstream.entropy ?? Tensor.zeros([rows])
    upstream.logProbabilities.withPointer { g in
      entropyUpstream.withPointer { gH in
        hidden.withPointer { h in
          embedding.withPointer { w in
            scratch.withUnsafeMutableBufferPointer { buffer in
              for start in stride(from: 0, to: rows, by: block) {
                let count = Swift.min(block, rows - start)
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
                  logitGradient(
                    z + local * vocabulary, target: targets[row], upstream: g[row],
                    entropyUpstream: gH[row], normaliser: statistics.normalisers[row],
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

  /// Replaces one row of logits `x` by the gradient with respect to them.
  @inline(__always)
  private func logitGradient(
    _ x: UnsafeMutablePointer<Float>, target: Int, upstream: Float, entropyUpstream: Float,
    normaliser: Float, expectation: Float
  ) {
    if entropyUpstream == 0 {
      for column in 0..<vocabulary {
        x[column] = -upstream * Kernels.exp(x[column] - normaliser)
      }
    } else {
      for column in 0..<vocabulary {
        let p = Kernels.exp(x[column] - normaliser)
        // A masked logit (p = 0, x = -infinity) gets no gradient.
        let entropyTerm = p > 0 ? entropyUpstream * p * (x[column] - expectation) : 0
        x[column] = -upstream * p - entropyTerm
      }
    }
    x[target] += upstream
  }
}

/// Logits `[rows, V]` the fused output layer's forward pass keeps for its
/// backward pass, which overwrites them with their gradient (so they serve
/// one backward pass).
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
