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
  /// but the memory is O(block · V) instead of O(N · V), which matters for
  /// a 50,257-token vocabulary and RLHF batches (128 × 112 positions would
  /// need 2.9 GB of logits and as much again for their gradient). The price
  /// is one more product per block in the backward pass.
  ///
  /// - Parameters:
  ///   - hidden: `[..., d]`, row-major (N rows after flattening).
  ///   - embedding: `[V, d]`, the output embedding (GPT-2 ties it to `wte`).
  ///   - targets: N ids in `0..<V`, row-major.
  /// - Returns: log-probabilities `[...]` (differentiable with respect to
  ///   `hidden` and `embedding`), and entropies `[...]` in nats as a plain
  ///   tensor (a statistic; not differentiated).
  public func logProbabilities(
    hidden: Variable, embedding: Variable, targets: [Int]
  ) -> (logProbabilities: Variable, entropy: Tensor) {
    outputLayer(hidden: hidden, embedding: embedding, targets: targets, blockRows: nil)
  }

  /// `logProbabilities(hidden:embedding:targets:)` with an explicit block
  /// height (rows of logits held at once); `nil` picks about 4 Mi scalars.
  func outputLayer(
    hidden: Variable, embedding: Variable, targets: [Int], blockRows: Int?
  ) -> (logProbabilities: Variable, entropy: Tensor) {
    precondition(embedding.value.rank == 2, "embedding must be [V, d], got \(embedding.shape)")
    let (vocabulary, width) = (embedding.shape[0], embedding.shape[1])
    precondition(
      hidden.value.rank >= 1 && hidden.shape[hidden.value.rank - 1] == width,
      "hidden \(hidden.shape) does not end in d = \(width)")
    let rows = hidden.value.count / Swift.max(width, 1)
    precondition(targets.count == rows, "\(targets.count) targets for \(rows) rows")
    for target in targets {
      precondition(target >= 0 && target < vocabulary, "target \(target) outside 0..<\(vocabulary)")
    }
    let block = Swift.max(1, blockRows ?? (1 << 22) / Swift.max(vocabulary, 1))
    let outputShape = Array(hidden.shape.dropLast())
    let valueH = hidden.value
    let valueW = embedding.value
    var normalisers = [Float](repeating: 0, count: rows)
    var entropies = [Float](repeating: 0, count: rows)
    var logits = [Float](repeating: 0, count: Swift.min(block, rows) * vocabulary)
    var exponentials = [Float](repeating: 0, count: vocabulary)
    let result = Tensor.build(outputShape) { y in
      valueH.withPointer { h in
        valueW.withPointer { w in
          logits.withUnsafeMutableBufferPointer { logitBuffer in
            exponentials.withUnsafeMutableBufferPointer { expBuffer in
              let z = logitBuffer.baseAddress ?? Kernels.emptyBase
              let e = expBuffer.baseAddress ?? Kernels.emptyBase
              for start in stride(from: 0, to: rows, by: block) {
                let count = Swift.min(block, rows - start)
                BLAS.gemm(
                  h + start * width, w, z, m: count, n: vocabulary, k: width, transposeB: true)
                for local in 0..<count {
                  let row = start + local
                  let x = z + local * vocabulary
                  let shift = Kernels.maximum(x, count: vocabulary)
                  let total = Kernels.exponentials(x, e, count: vocabulary, shift: shift)
                  // The products overwrite this row's logits, which are no
                  // longer needed once the target's is read.
                  let target = x[targets[row]]
                  let expectation =
                    Kernels.positiveWeightedSum(e, x, scratch: x, count: vocabulary) / total
                  let normaliser = shift + Foundation.log(total)
                  normalisers[row] = normaliser
                  entropies[row] = normaliser - expectation
                  y[row] = target - normaliser
                }
              }
            }
          }
        }
      }
    }
    let entropy = Tensor(shape: outputShape, scalars: entropies)
    let output = output(result, recorded: records(hidden, embedding)) { gradient in
      var scratch = [Float](repeating: 0, count: Swift.min(block, rows) * vocabulary)
      let backward = {
        (
          dh: UnsafeMutablePointer<Float>?, betaH: Float,
          dw: UnsafeMutablePointer<Float>?, betaW: Float
        ) in
        if rows == 0, let dw, betaW == 0 {
          dw.update(repeating: 0, count: vocabulary * width)
        }
        gradient.withPointer { g in
          valueH.withPointer { h in
            valueW.withPointer { w in
              scratch.withUnsafeMutableBufferPointer { buffer in
                let z = buffer.baseAddress ?? Kernels.emptyBase
                for start in stride(from: 0, to: rows, by: block) {
                  let count = Swift.min(block, rows - start)
                  BLAS.gemm(
                    h + start * width, w, z, m: count, n: vocabulary, k: width,
                    transposeB: true)
                  // dlogits = g · (one-hot(target) − softmax), row by row.
                  for local in 0..<count {
                    let row = start + local
                    let x = z + local * vocabulary
                    let upstream = g[row]
                    let normaliser = normalisers[row]
                    for column in 0..<vocabulary {
                      x[column] = -upstream * Kernels.exp(x[column] - normaliser)
                    }
                    x[targets[row]] += upstream
                  }
                  if let dh {
                    BLAS.gemm(
                      z, w, dh + start * width, m: count, n: width, k: vocabulary,
                      beta: betaH)
                  }
                  if let dw {
                    BLAS.gemm(
                      z, h + start * width, dw, m: vocabulary, n: width, k: count,
                      transposeA: true, beta: start == 0 ? betaW : 1)
                  }
                }
              }
            }
          }
        }
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
    return (output, entropy)
  }
}
