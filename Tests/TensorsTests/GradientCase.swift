import Tensors
import Testing

/// One operation whose gradient is checked against finite differences.
struct GradientCase: Sendable, CustomTestStringConvertible {
  let name: String
  let inputs: [Tensor]
  let function: @Sendable (Tape, [Variable]) -> Variable

  var testDescription: String { name }

  /// Inputs of `shapes` drawn uniformly from `range` by a stream named
  /// after the case.
  init(
    _ name: String, _ shapes: [[Int]], range: ClosedRange<Float> = -1...1,
    function: @escaping @Sendable (Tape, [Variable]) -> Variable
  ) {
    var generator = RandomGenerator(seed: 2024).derived(name)
    self.name = name
    inputs = shapes.map {
      Tensor.randomUniform(
        $0, lowerBound: range.lowerBound, upperBound: range.upperBound, using: &generator)
    }
    self.function = function
  }

  /// Inputs given explicitly.
  init(
    _ name: String, inputs: [Tensor],
    function: @escaping @Sendable (Tape, [Variable]) -> Variable
  ) {
    self.name = name
    self.inputs = inputs
    self.function = function
  }
}
