/// A node of the autodiff graph: a tensor value and, once a backward pass
/// reaches it, the gradient of the differentiated quantity with respect to
/// that value.
///
/// Leaves are made directly (`Variable(x)` for constants,
/// `Variable(x, requiresGrad: true)` for inputs to differentiate,
/// `Parameter` for trainable weights); every other variable is the output
/// of an operation on a `Tape`. A leaf's gradient accumulates across backward
/// passes until reset with `zeroGradient()`; an intermediate's gradient lives
/// only during the backward pass that computes it.
public class Variable {
  /// The value, `shape` given by `value.shape`.
  public internal(set) var value: Tensor

  /// The accumulated gradient, shaped like `value`, or `nil` when no
  /// backward pass has reached this variable since the last reset.
  public var grad: Tensor?

  /// Whether operations on this variable are recorded for differentiation.
  public let requiresGrad: Bool

  /// A leaf holding `value`; `requiresGrad` makes backward passes accumulate
  /// into its `grad`.
  public init(_ value: Tensor, requiresGrad: Bool = false) {
    self.value = value
    self.requiresGrad = requiresGrad
  }

  /// The shape of `value`.
  public var shape: [Int] { value.shape }

  /// Forgets the accumulated gradient.
  public func zeroGradient() { grad = nil }

  /// Adds `gradient` (shaped like `value`) to `grad`.
  func accumulate(_ gradient: Tensor) {
    precondition(
      gradient.count == value.count,
      "gradient of shape \(gradient.shape) for a value of shape \(value.shape)")
    guard var sum = grad else {
      grad = gradient.shape == value.shape ? gradient : gradient.reshaped(value.shape)
      return
    }
    grad = nil
    sum.withMutablePointer { target in
      gradient.withPointer { source in BLAS.axpy(source, target, count: gradient.count) }
    }
    grad = sum
  }

  /// Lets `body` write this variable's gradient in place: `beta` is 0 when
  /// there is no gradient yet (the buffer is uninitialised and `body` must
  /// overwrite every scalar) and 1 when `body` must add to it.
  func accumulate(_ body: (UnsafeMutableBufferPointer<Float>, _ beta: Float) -> Void) {
    if var sum = grad {
      precondition(
        sum.count == value.count,
        "stored gradient of shape \(sum.shape) for a value of shape \(value.shape)")
      grad = nil
      sum.scalars.withUnsafeMutableBufferPointer { body($0, 1) }
      grad = sum
    } else {
      grad = Tensor.filled(shape: value.shape) { body($0, 0) }
    }
  }

  /// `accumulate(_:)` with a base address instead of a buffer.
  @inline(__always)
  func accumulate(pointer body: (UnsafeMutablePointer<Float>, _ beta: Float) -> Void) {
    accumulate { buffer, beta in body(buffer.baseAddress ?? Kernels.emptyBase, beta) }
  }
}
