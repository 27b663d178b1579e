extension Tape {
  /// The sum of all scalars, as a rank-0 tensor.
  public func sum(_ x: Variable) -> Variable {
    let shape = x.shape
    let total = x.value.withPointer { Kernels.sum($0, count: x.value.count) }
    return output(Tensor(total), recorded: records(x)) { gradient in
      x.accumulate(Tensor(repeating: gradient.scalar, shape: shape))
    }
  }

  /// The mean of all scalars, as a rank-0 tensor.
  public func mean(_ x: Variable) -> Variable {
    scale(sum(x), by: 1 / Float(Swift.max(x.value.count, 1)))
  }

  /// Sums over the last axis: `[..., n]` → `[...]`.
  public func sumAlongLastAxis(_ x: Variable) -> Variable {
    precondition(x.value.rank >= 1, "sumAlongLastAxis needs rank ≥ 1")
    let width = x.shape[x.value.rank - 1]
    let rows = width == 0 ? 0 : x.value.count / width
    let ones = [Float](repeating: 1, count: width)
    let result = Tensor.build(Array(x.shape.dropLast())) { y in
      x.value.withPointer { px in BLAS.gemv(px, ones, y, m: rows, n: width, transpose: false) }
    }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(pointer: { dx, beta in
        gradient.withPointer { dy in
          for row in 0..<rows {
            let target = dx + row * width
            if beta == 0 {
              target.update(repeating: dy[row], count: width)
            } else {
              for column in 0..<width { target[column] += dy[row] }
            }
          }
        }
      })
    }
  }

  /// Means over the last axis: `[..., n]` → `[...]`.
  public func meanAlongLastAxis(_ x: Variable) -> Variable {
    let width = x.shape.last ?? 1
    return scale(sumAlongLastAxis(x), by: 1 / Float(Swift.max(width, 1)))
  }
}
