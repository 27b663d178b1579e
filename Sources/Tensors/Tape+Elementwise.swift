import Foundation

// MARK: - Binary operations

extension Tape {
  /// `a + b`. `b` has `a`'s shape or a suffix of it (`[]` for a scalar,
  /// `[d]` for a bias added to every row of `[..., d]`); it is broadcast over
  /// the leading axes.
  public func add(_ a: Variable, _ b: Variable) -> Variable {
    let width = Tape.broadcastWidth(a, b)
    let rows = a.value.count / Swift.max(width, 1)
    let result = Tape.combine(a.value, b.value, width: width) { x, y, z, count in
      for index in 0..<count { z[index] = x[index] + y[index] }
    }
    return output(result, recorded: records(a, b)) { gradient in
      if a.requiresGrad { a.accumulate(gradient) }
      if b.requiresGrad { b.accumulate(Tape.sumRows(gradient, rows: rows, width: width)) }
    }
  }

  /// `a - b`, with `b` broadcast as in `add(_:_:)`.
  public func subtract(_ a: Variable, _ b: Variable) -> Variable {
    let width = Tape.broadcastWidth(a, b)
    let rows = a.value.count / Swift.max(width, 1)
    let result = Tape.combine(a.value, b.value, width: width) { x, y, z, count in
      for index in 0..<count { z[index] = x[index] - y[index] }
    }
    return output(result, recorded: records(a, b)) { gradient in
      if a.requiresGrad { a.accumulate(gradient) }
      if b.requiresGrad {
        b.accumulate(Tape.scaled(Tape.sumRows(gradient, rows: rows, width: width), by: -1))
      }
    }
  }

  /// The element-wise product `a ⊙ b`, with `b` broadcast as in
  /// `add(_:_:)` (for example a `[batch, seq]` mask times per-token values,
  /// or layer-norm's weight).
  public func multiply(_ a: Variable, _ b: Variable) -> Variable {
    let width = Tape.broadcastWidth(a, b)
    let rows = a.value.count / Swift.max(width, 1)
    let valueA = a.value
    let valueB = b.value
    let result = Tape.combine(valueA, valueB, width: width) { x, y, z, count in
      for index in 0..<count { z[index] = x[index] * y[index] }
    }
    return output(result, recorded: records(a, b)) { gradient in
      if a.requiresGrad {
        a.accumulate(
          Tape.combine(gradient, valueB, width: width) { x, y, z, count in
            for index in 0..<count { z[index] = x[index] * y[index] }
          })
      }
      if b.requiresGrad {
        let product = Tape.combine(gradient, valueA, width: valueA.count) { x, y, z, count in
          for index in 0..<count { z[index] = x[index] * y[index] }
        }
        b.accumulate(Tape.sumRows(product, rows: rows, width: width))
      }
    }
  }

  /// The element-wise quotient `a / b`, with `b` broadcast as in
  /// `add(_:_:)`.
  public func divide(_ a: Variable, _ b: Variable) -> Variable {
    let width = Tape.broadcastWidth(a, b)
    let rows = a.value.count / Swift.max(width, 1)
    let valueB = b.value
    let result = Tape.combine(a.value, valueB, width: width) { x, y, z, count in
      for index in 0..<count { z[index] = x[index] / y[index] }
    }
    return output(result, recorded: records(a, b)) { gradient in
      if a.requiresGrad {
        a.accumulate(
          Tape.combine(gradient, valueB, width: width) { x, y, z, count in
            for index in 0..<count { z[index] = x[index] / y[index] }
          })
      }
      if b.requiresGrad {
        // ∂(a/b)/∂b = −(a/b)/b.
        let quotient = Tape.combine(gradient, result, width: result.count) { x, y, z, count in
          for index in 0..<count { z[index] = -x[index] * y[index] }
        }
        let perB = Tape.combine(quotient, valueB, width: width) { x, y, z, count in
          for index in 0..<count { z[index] = x[index] / y[index] }
        }
        b.accumulate(Tape.sumRows(perB, rows: rows, width: width))
      }
    }
  }

  /// The element-wise minimum of two tensors of one shape; at ties the
  /// gradient is split equally, as PyTorch's `torch.minimum` does.
  public func minimum(_ a: Variable, _ b: Variable) -> Variable {
    select(a, b, preferringA: { $0 < $1 })
  }

  /// The element-wise maximum of two tensors of one shape; at ties the
  /// gradient is split equally, as PyTorch's `torch.maximum` does.
  public func maximum(_ a: Variable, _ b: Variable) -> Variable {
    select(a, b, preferringA: { $0 > $1 })
  }

  private func select(
    _ a: Variable, _ b: Variable, preferringA prefers: (Float, Float) -> Bool
  ) -> Variable {
    precondition(a.shape == b.shape, "shapes differ: \(a.shape) and \(b.shape)")
    let count = a.value.count
    var weightA = [Float](repeating: 0, count: count)
    let result = Tensor.build(a.shape) { z in
      a.value.withPointer { x in
        b.value.withPointer { y in
          for index in 0..<count {
            let wa: Float = x[index] == y[index] ? 0.5 : (prefers(x[index], y[index]) ? 1 : 0)
            weightA[index] = wa
            z[index] = wa >= 0.5 ? x[index] : y[index]
          }
        }
      }
    }
    let maskA = Tensor(shape: a.shape, scalars: weightA)
    return output(result, recorded: records(a, b)) { gradient in
      Tape.routeGradient(gradient, weightA: maskA, a: a, b: b)
    }
  }

  /// `condition[i] ? a[i] : b[i]` for tensors of one shape; `condition` is
  /// flat and row-major with the same count.
  public func `where`(_ condition: [Bool], _ a: Variable, _ b: Variable) -> Variable {
    precondition(a.shape == b.shape, "shapes differ: \(a.shape) and \(b.shape)")
    precondition(condition.count == a.value.count, "condition count \(condition.count)")
    let mask = Tensor(shape: a.shape, scalars: condition.map { $0 ? 1 : 0 })
    let result = Tensor.build(a.shape) { z in
      a.value.withPointer { x in
        b.value.withPointer { y in
          for index in 0..<condition.count { z[index] = condition[index] ? x[index] : y[index] }
        }
      }
    }
    return output(result, recorded: records(a, b)) { gradient in
      Tape.routeGradient(gradient, weightA: mask, a: a, b: b)
    }
  }

  /// Sends `weightA ⊙ gradient` to `a` and the rest to `b`.
  private static func routeGradient(
    _ gradient: Tensor, weightA: Tensor, a: Variable, b: Variable
  ) {
    if a.requiresGrad {
      a.accumulate(
        combine(gradient, weightA, width: weightA.count) { g, w, z, count in
          for index in 0..<count { z[index] = g[index] * w[index] }
        })
    }
    if b.requiresGrad {
      b.accumulate(
        combine(gradient, weightA, width: weightA.count) { g, w, z, count in
          for index in 0..<count { z[index] = g[index] * (1 - w[index]) }
        })
    }
  }

  // MARK: - Broadcasting helpers

  /// The count of `b`, after checking that `b`'s shape is `a`'s or a suffix.
  static func broadcastWidth(_ a: Variable, _ b: Variable) -> Int {
    let suffix = Array(a.shape.suffix(b.shape.count))
    precondition(
      b.shape.count <= a.shape.count && suffix == b.shape,
      "cannot broadcast \(b.shape) over \(a.shape)")
    return b.value.count
  }

  /// `z = f(x, y)` where `y` (of `width` scalars) repeats over the rows of
  /// `x`; `kernel` runs once per row on dense pointers.
  @inline(__always)
  static func combine(
    _ x: Tensor, _ y: Tensor, width: Int,
    _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int)
      -> Void
  ) -> Tensor {
    let rows = width == 0 ? 0 : x.count / width
    return Tensor.build(x.shape) { z in
      x.withPointer { px in
        y.withPointer { py in
          for row in 0..<rows { kernel(px + row * width, py, z + row * width, width) }
        }
      }
    }
  }

  /// The column sums of `x` viewed as `[rows, width]` (or `x` itself when
  /// there is one row), computed by BLAS as `xᵀ · 1`.
  static func sumRows(_ x: Tensor, rows: Int, width: Int) -> Tensor {
    if rows == 1 { return x.reshaped([width]) }
    let ones = [Float](repeating: 1, count: rows)
    return Tensor.build([width]) { y in
      x.withPointer { px in BLAS.gemv(px, ones, y, m: rows, n: width, transpose: true) }
    }
  }

  /// `factor · x`.
  static func scaled(_ x: Tensor, by factor: Float) -> Tensor {
    Tensor.build(x.shape) { z in
      x.withPointer { px in
        for index in 0..<x.count { z[index] = factor * px[index] }
      }
    }
  }
}
