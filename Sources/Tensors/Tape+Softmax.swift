import Foundation

extension Tape {
  /// softmax over the last axis: `[..., V]` → `[..., V]`, each row summing
  /// to one.
  public func softmax(_ x: Variable) -> Variable {
    let width = x.shape.last ?? 1
    let rows = width == 0 ? 0 : x.value.count / width
    let result = Tensor.build(x.shape) { y in
      x.value.withPointer { px in
        for row in 0..<rows {
          let source = px + row * width
          let target = y + row * width
          let shift = Kernels.maximum(source, count: width)
          let total = Kernels.exponentials(source, target, count: width, shift: shift)
          let inverse = 1 / total
          for column in 0..<width { target[column] *= inverse }
        }
      }
    }
    return output(result, recorded: records(x)) { gradient in
      // dx = y ⊙ (dy − Σ dy ⊙ y), row by row.
      let dx = Tensor.build(result.shape) { dx in
        result.withPointer { py in
          gradient.withPointer { dy in
            for row in 0..<rows {
              let offset = row * width
              let inner = BLAS.dot(dy + offset, py + offset, count: width)
              for column in offset..<(offset + width) {
                dx[column] = py[column] * (dy[column] - inner)
              }
            }
          }
        }
      }
      x.accumulate(dx)
    }
  }

  /// log-softmax over the last axis: `x − log Σ exp x`, row by row.
  public func logSoftmax(_ x: Variable) -> Variable {
    let width = x.shape.last ?? 1
    let rows = width == 0 ? 0 : x.value.count / width
    let result = Tensor.build(x.shape) { y in
      x.value.withPointer { px in
        for row in 0..<rows {
          let source = px + row * width
          let target = y + row * width
          let normaliser = Kernels.logSumExp(source, scratch: target, count: width)
          for column in 0..<width { target[column] = source[column] - normaliser }
        }
      }
    }
    return output(result, recorded: records(x)) { gradient in
      // dx = dy − softmax(x) · Σ dy, row by row.
      let dx = Tensor.build(result.shape) { dx in
        result.withPointer { py in
          gradient.withPointer { dy in
            for row in 0..<rows {
              let offset = row * width
              let total = Kernels.sum(dy + offset, count: width)
              for column in offset..<(offset + width) {
                dx[column] = dy[column] - Kernels.exp(py[column]) * total
              }
            }
          }
        }
      }
      x.accumulate(dx)
    }
  }

  /// The log-probability of each target under softmax over the last axis,
  /// fused so that no second `[N, V]` array is kept: for logits `[..., V]`
  /// and one target id per row, returns `[...]` with
  /// `logits[row, target] − log Σ exp logits[row, :]`.
  ///
  /// Backward: ∂/∂logits = upstream · (one-hot(target) − softmax), with the
  /// softmax recomputed from the saved per-row normaliser. (The negative of
  /// this is the cross-entropy loss, whose gradient is softmax − one-hot.)
  ///
  /// - Parameter targets: one id in `0..<V` per row, row-major.
  public func logProbabilities(_ logits: Variable, targets: [Int]) -> Variable {
    let width = logits.shape.last ?? 1
    let rows = width == 0 ? 0 : logits.value.count / width
    precondition(targets.count == rows, "\(targets.count) targets for \(rows) rows")
    for target in targets {
      precondition(target >= 0 && target < width, "target \(target) outside 0..<\(width)")
    }
    let value = logits.value
    var normalisers = [Float](repeating: 0, count: rows)
    var scratch = [Float](repeating: 0, count: width)
    let result = Tensor.build(Array(logits.shape.dropLast())) { y in
      value.withPointer { px in
        scratch.withUnsafeMutableBufferPointer { buffer in
          for row in 0..<rows {
            let source = px + row * width
            let normaliser = Kernels.logSumExp(
              source, scratch: buffer.baseAddress!, count: width)
            normalisers[row] = normaliser
            y[row] = source[targets[row]] - normaliser
          }
        }
      }
    }
    return output(result, recorded: records(logits)) { gradient in
      logits.accumulate(pointer: { dx, beta in
        value.withPointer { px in
          gradient.withPointer { dy in
            for row in 0..<rows {
              let offset = row * width
              let upstream = dy[row]
              let normaliser = normalisers[row]
              if beta == 0 {
                for column in offset..<(offset + width) {
                  dx[column] = -upstream * Kernels.exp(px[column] - normaliser)
                }
              } else {
                for column in offset..<(offset + width) {
                  dx[column] -= upstream * Kernels.exp(px[column] - normaliser)
                }
              }
              dx[offset + targets[row]] += upstream
            }
          }
        }
      })
    }
  }

  /// The entropy −Σ p log p of softmax over the last axis: `[..., V]` →
  /// `[...]`, in nats.
  ///
  /// Computed as `log Σ exp x − Σ p·x`; backward ∂H/∂xⱼ = −pⱼ (xⱼ − Σ p·x).
  /// Logits of `-infinity` (masked tokens) have probability 0 and
  /// contribute nothing, to the value or the gradient.
  public func entropy(_ logits: Variable) -> Variable {
    let width = logits.shape.last ?? 1
    let rows = width == 0 ? 0 : logits.value.count / width
    let value = logits.value
    var normalisers = [Float](repeating: 0, count: rows)
    var expectations = [Float](repeating: 0, count: rows)
    var scratch = [Float](repeating: 0, count: 2 * width)
    let result = Tensor.build(Array(logits.shape.dropLast())) { y in
      value.withPointer { px in
        scratch.withUnsafeMutableBufferPointer { buffer in
          let probabilities = buffer.baseAddress!
          let terms = probabilities + width
          for row in 0..<rows {
            let source = px + row * width
            let shift = Kernels.maximum(source, count: width)
            let total = Kernels.exponentials(source, probabilities, count: width, shift: shift)
            let expectation =
              Kernels.positiveWeightedSum(probabilities, source, scratch: terms, count: width)
              / total
            let normaliser = shift + Foundation.log(total)
            normalisers[row] = normaliser
            expectations[row] = expectation
            y[row] = normaliser - expectation
          }
        }
      }
    }
    return output(result, recorded: records(logits)) { gradient in
      logits.accumulate(pointer: { dx, beta in
        if beta == 0 { dx.update(repeating: 0, count: rows * width) }  // rare: a statistic
        value.withPointer { px in
          gradient.withPointer { dy in
            for row in 0..<rows {
              let offset = row * width
              let upstream = dy[row]
              let normaliser = normalisers[row]
              let expectation = expectations[row]
              for column in offset..<(offset + width) {
                let p = Kernels.exp(px[column] - normaliser)
                // A masked logit (p = 0, x = -infinity) gets no gradient.
                dx[column] -= p > 0 ? upstream * p * (px[column] - expectation) : 0
              }
            }
          }
        }
      })
    }
  }
}
