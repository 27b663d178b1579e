/// Errors raised by the tensor engine for bad input from outside the program
/// (shapes and data read from files, user-supplied probabilities).
public enum TensorError: Error, Equatable, CustomStringConvertible {
  /// A shape has a negative extent.
  case invalidShape([Int])
  /// The number of scalars does not fill the shape.
  case countMismatch(shape: [Int], expected: Int, got: Int)
  /// Sampling weights are empty, negative, not finite or sum to zero.
  case invalidProbabilities(String)
  /// A named tensor expected in saved state is absent.
  case missingTensor(String)
  /// A named tensor in saved state has the wrong shape.
  case shapeMismatch(name: String, expected: [Int], got: [Int])
  /// A saved optimiser step count is negative.
  case invalidStepCount(Int)

  /// A sentence naming the offending value and what is allowed.
  public var description: String {
    switch self {
    case .invalidShape(let shape):
      "invalid shape \(shape): every extent must be ≥ 0"
    case .countMismatch(let shape, let expected, let got):
      "shape \(shape) needs \(expected) scalars, got \(got)"
    case .invalidProbabilities(let detail):
      "invalid sampling weights: \(detail) (expected finite, non-negative, "
        + "with a positive sum)"
    case .missingTensor(let name):
      "missing tensor '\(name)' in the saved state"
    case .shapeMismatch(let name, let expected, let got):
      "tensor '\(name)' has shape \(got), expected \(expected)"
    case .invalidStepCount(let count):
      "optimiser step count \(count) is negative (expected ≥ 0)"
    }
  }
}
