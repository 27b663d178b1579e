import Foundation

extension Tape {
  /// `factor · x`.
  public func scale(_ x: Variable, by factor: Float) -> Variable {
    output(Tape.scaled(x.value, by: factor), recorded: records(x)) { gradient in
      x.accumulate(Tape.scaled(gradient, by: factor))
    }
  }

  /// `-x`.
  public func negate(_ x: Variable) -> Variable {
    scale(x, by: -1)
  }

  /// `x + offset` for a scalar offset.
  public func shift(_ x: Variable, by offset: Float) -> Variable {
    let result = Tensor.build(x.shape) { y in
      x.value.withPointer { px in
        for index in 0..<x.value.count { y[index] = px[index] + offset }
      }
    }
    return output(result, recorded: records(x)) { gradient in x.accumulate(gradient) }
  }

  /// `eˣ`, element-wise (within 2 ulp; see `Kernels.exp`).
  public func exp(_ x: Variable) -> Variable {
    let result = Tape.map(x.value) { Kernels.exp($0) }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(Tape.zip(gradient, result) { g, y in g * y })
    }
  }

  /// The natural logarithm, element-wise.
  public func log(_ x: Variable) -> Variable {
    let value = x.value
    let result = Tape.map(value) { Foundation.log($0) }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(Tape.zip(gradient, value) { g, x in g / x })
    }
  }

  /// The hyperbolic tangent, element-wise.
  public func tanh(_ x: Variable) -> Variable {
    let result = Tape.map(x.value) { Foundation.tanh($0) }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(Tape.zip(gradient, result) { g, y in g * (1 - y * y) })
    }
  }

  /// The logistic function 1 / (1 + e⁻ˣ), element-wise.
  public func sigmoid(_ x: Variable) -> Variable {
    let result = Tape.map(x.value) { 1 / (1 + Kernels.exp(-$0)) }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(Tape.zip(gradient, result) { g, y in g * y * (1 - y) })
    }
  }

  /// max(x, 0), element-wise (gradient 0 at 0).
  public func relu(_ x: Variable) -> Variable {
    let value = x.value
    let result = Tape.map(value) { Swift.max($0, 0) }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(Tape.zip(gradient, value) { g, x in x > 0 ? g : 0 })
    }
  }

  /// x², element-wise.
  public func square(_ x: Variable) -> Variable {
    let value = x.value
    let result = Tape.map(value) { $0 * $0 }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(Tape.zip(gradient, value) { g, x in 2 * g * x })
    }
  }

  /// `x` limited to [`lowerBound`, `upperBound`]; the gradient passes where
  /// `lowerBound ≤ x ≤ upperBound` and is 0 elsewhere, as in PyTorch's
  /// `clamp`. Either bound may be infinite.
  public func clamp(_ x: Variable, lowerBound: Float, upperBound: Float) -> Variable {
    precondition(lowerBound <= upperBound, "clamp bounds \(lowerBound) > \(upperBound)")
    let value = x.value
    let result = Tape.map(value) { Swift.min(Swift.max($0, lowerBound), upperBound) }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(
        Tape.zip(gradient, value) { g, x in x >= lowerBound && x <= upperBound ? g : 0 })
    }
  }

  /// GELU with GPT-2's tanh approximation,
  /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), with tanh through the
  /// vectorised exponential (absolute error below 1e-6·|x|).
  public func gelu(_ x: Variable) -> Variable {
    let value = x.value
    let c: Float = 0.797_884_56  // √(2/π)
    guard records(x) else {
      return output(
        Tape.map(value) { x in 0.5 * x * (1 + Kernels.tanh(c * (x + 0.044_715 * x * x * x))) },
        recorded: false, backward: { _ in })
    }
    // A recorded pass keeps the derivative, computed beside the value from
    // the same tanh, so the backward pass is one multiply per scalar.
    var derivative = Tensor.build(value.shape) { _ in }  // written below
    let result = Tensor.build(value.shape) { y in
      derivative.withMutablePointer { d in
        value.withPointer { px in
          for index in 0..<value.count {
            let x = px[index]
            let t = Kernels.tanh(c * (x + 0.044_715 * x * x * x))
            let inner = c * (1 + 3 * 0.044_715 * x * x)
            y[index] = 0.5 * x * (1 + t)
            d[index] = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * inner
          }
        }
      }
    }
    let saved = derivative
    return output(result, recorded: true) { gradient in
      x.accumulate(pointer: { dx, beta in
        gradient.withPointer { g in
          saved.withPointer { d in
            if beta == 0 {
              for index in 0..<saved.count { dx[index] = g[index] * d[index] }
            } else {
              for index in 0..<saved.count { dx[index] += g[index] * d[index] }
            }
          }
        }
      })
    }
  }

  // MARK: - Element-wise helpers

  /// `f` applied to every scalar of `x`; `f` is inlined into the loop.
  @inline(__always)
  static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    Tensor.build(x.shape) { y in
      x.withPointer { px in
        for index in 0..<x.count { y[index] = f(px[index]) }
      }
    }
  }

  /// `f` applied pairwise to the scalars of two tensors of one count.
  @inline(__always)
  static func zip(_ x: Tensor, _ y: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(x.count == y.count, "counts differ: \(x.count) and \(y.count)")
    return Tensor.build(y.shape) { z in
      x.withPointer { px in
        y.withPointer { py in
          for index in 0..<x.count { z[index] = f(px[index], py[index]) }
        }
      }
    }
  }
}
