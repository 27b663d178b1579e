extension Array where Element == Parameter {
  /// Forgets every parameter's accumulated gradient.
  public func zeroGradients() {
    for parameter in self { parameter.zeroGradient() }
  }

  /// The global L2 norm of all gradients, computed in `Double`; parameters
  /// without a gradient count as zero.
  public func gradientNorm() -> Float {
    var sumOfSquares: Double = 0
    for parameter in self {
      guard let grad = parameter.grad else { continue }
      sumOfSquares += grad.withPointer { Double(BLAS.dot($0, $0, count: grad.count)) }
    }
    return Float(sumOfSquares.squareRoot())
  }

  /// Scales all gradients so their global L2 norm is at most `maxNorm`, as
  /// PyTorch's `clip_grad_norm_` does (factor `maxNorm / (norm + 1e-6)` when
  /// the norm exceeds `maxNorm`), and returns the norm before clipping.
  @discardableResult
  public func clipGradientNorm(to maxNorm: Float) -> Float {
    let norm = gradientNorm()
    let factor = maxNorm / (norm + 1e-6)
    guard factor < 1 else { return norm }
    for parameter in self {
      guard var grad = parameter.grad else { continue }
      parameter.grad = nil
      for index in grad.scalars.indices { grad.scalars[index] *= factor }
      parameter.grad = grad
    }
    return norm
  }
}
