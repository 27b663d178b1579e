import Tensors

/// Compares a tape's gradients with central finite differences.
///
/// The checked quantity is L = Σᵢ wᵢ·yᵢ for fixed random weights w, so
/// every output element's gradient path is exercised with a different
/// upstream value. L is summed in `Double`; the forward pass itself is
/// `Float`. With step h = 1e-2 the rounding error of a difference quotient
/// is about ε_Float·|L|/h ≈ 1e-5·|L| and the truncation error h²·|L'''|/6 is
/// about 2e-5 for the smooth, O(1) functions used here, so an agreement of
/// 2e-3 + 1e-2·|g| separates a correct gradient from a wrong one (wrong
/// gradients differ by O(|g|)).
struct GradientCheck {
  static let step: Float = 1e-2
  static let absoluteTolerance: Double = 2e-3
  static let relativeTolerance: Double = 1e-2

  /// The largest violation `|analytic − numeric| − tolerance` over all
  /// input scalars (≤ 0 when every gradient agrees), with a description of
  /// the worst one.
  static func worstViolation(
    inputs: [Tensor], seed: UInt64 = 7,
    _ function: (Tape, [Variable]) -> Variable
  ) -> (violation: Double, detail: String) {
    let probe = function(Tape(recording: false), inputs.map { Variable($0) })
    var generator = RandomGenerator(seed: seed)
    let weights = Tensor.randomUniform(
      probe.shape, lowerBound: -1, upperBound: 1, using: &generator)

    let tape = Tape()
    let variables = inputs.map { Variable($0, requiresGrad: true) }
    let output = function(tape, variables)
    tape.backward(from: output, gradient: weights)

    var worst = (violation: -Double.infinity, detail: "no inputs")
    for (inputIndex, input) in inputs.enumerated() {
      let analytic = variables[inputIndex].grad ?? Tensor.zeros(input.shape)
      for index in 0..<input.count {
        var plus = inputs
        plus[inputIndex].scalars[index] += step
        var minus = inputs
        minus[inputIndex].scalars[index] -= step
        let numeric =
          (objective(function, plus, weights) - objective(function, minus, weights))
          / (2 * Double(step))
        let exact = Double(analytic.scalars[index])
        let tolerance = absoluteTolerance + relativeTolerance * Swift.abs(numeric)
        let violation = Swift.abs(exact - numeric) - tolerance
        if violation > worst.violation {
          worst = (
            violation,
            "input \(inputIndex)[\(index)]: analytic \(exact), numeric \(numeric)"
          )
        }
      }
    }
    return worst
  }

  private static func objective(
    _ function: (Tape, [Variable]) -> Variable, _ inputs: [Tensor], _ weights: Tensor
  ) -> Double {
    let output = function(Tape(recording: false), inputs.map { Variable($0) })
    var total: Double = 0
    for (value, weight) in zip(output.value.scalars, weights.scalars) {
      total += Double(value) * Double(weight)
    }
    return total
  }
}

/// Whether two arrays agree element-wise within `tolerance`.
func isClose(_ a: [Float], _ b: [Float], tolerance: Float) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}
