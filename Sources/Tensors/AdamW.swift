import Foundation

/// The AdamW optimiser (Loshchilov and Hutter 2019, decoupled weight decay),
/// step for step as PyTorch's `torch.optim.AdamW`; with `weightDecay` 0 it is
/// PyTorch's `Adam`.
///
/// For each parameter p with gradient g at step t (from 1):
/// p ← p − lr·λ·p; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// Parameters without a gradient are skipped (their moments are kept), as
/// PyTorch skips parameters whose `grad` is `None`.
public final class AdamW {
  /// The parameters updated by `step()`, in the order given.
  public let parameters: [Parameter]
  /// lr, the step size; change it between steps to follow a schedule.
  public var learningRate: Float
  /// β₁, the decay rate of the first-moment estimate; 0…1.
  public let beta1: Float
  /// β₂, the decay rate of the second-moment estimate; 0…1.
  public let beta2: Float
  /// ε, added to the denominator for numerical stability.
  public let epsilon: Float
  /// λ, the decoupled weight-decay coefficient (0 for Adam).
  public let weightDecay: Float
  /// The number of steps taken so far.
  public private(set) var stepCount = 0

  private var firstMoments: [[Float]]
  private var secondMoments: [[Float]]
  private var decays: [Bool]

  /// An optimiser for `parameters`.
  ///
  /// - Parameters:
  ///   - learningRate: lr, > 0.
  ///   - beta1: β₁, default 0.9.
  ///   - beta2: β₂, default 0.999.
  ///   - epsilon: ε, default 1e-8.
  ///   - weightDecay: λ, default 0 (plain Adam); PyTorch's AdamW default is
  ///     0.01.
  ///   - decays: which parameters receive weight decay (by default all;
  ///     GPT-2 recipes exclude biases and layer-norm weights).
  public init(
    parameters: [Parameter], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-8, weightDecay: Float = 0,
    decays: (Parameter) -> Bool = { _ in true }
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    firstMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    secondMoments = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    self.decays = parameters.map(decays)
  }

  /// Updates every parameter that has a gradient, then counts one step.
  /// Gradients are left in place; call `zeroGradients()` before the next
  /// accumulation.
  public func step() {
    stepCount += 1
    let t = Double(stepCount)
    let correction1 = Float(1 - Foundation.pow(Double(beta1), t))
    let correction2 = Float(1 - Foundation.pow(Double(beta2), t))
    let stepSize = learningRate / correction1
    let rootCorrection2 = correction2.squareRoot()
    let (b1, b2, eps) = (beta1, beta2, epsilon)
    for (index, parameter) in parameters.enumerated() {
      guard let grad = parameter.grad else { continue }
      precondition(
        grad.count == parameter.value.count,
        "\(parameter.name): gradient of shape \(grad.shape) for \(parameter.shape)")
      let shrink = decays[index] ? 1 - learningRate * weightDecay : 1
      grad.withPointer { g in
        firstMoments[index].withUnsafeMutableBufferPointer { m in
          secondMoments[index].withUnsafeMutableBufferPointer { v in
            parameter.updateValue { p in
              for i in 0..<m.count {
                p[i] *= shrink
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                p[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + eps)
              }
            }
          }
        }
      }
    }
  }

  // MARK: - State

  /// The moment estimates as named tensors for a checkpoint, under
  /// PyTorch's state names: `"<parameter>.exp_avg"` (m) and
  /// `"<parameter>.exp_avg_sq"` (v), each shaped like its parameter. Save
  /// `stepCount` beside them.
  public func stateTensors() -> [String: Tensor] {
    var state: [String: Tensor] = [:]
    for (index, parameter) in parameters.enumerated() {
      state[parameter.name + ".exp_avg"] = Tensor(
        shape: parameter.shape, scalars: firstMoments[index])
      state[parameter.name + ".exp_avg_sq"] = Tensor(
        shape: parameter.shape, scalars: secondMoments[index])
    }
    return state
  }

  /// Restores moment estimates saved by `stateTensors()` and the step count,
  /// so that training resumes exactly where it stopped. Nothing changes when
  /// the state is refused.
  ///
  /// - Throws: `TensorError.missingTensor` or `.shapeMismatch` naming the
  ///   tensor, `.invalidStepCount` for a negative count.
  public func restore(state: [String: Tensor], stepCount: Int) throws(TensorError) {
    guard stepCount >= 0 else { throw .invalidStepCount(stepCount) }
    var first: [[Float]] = []
    var second: [[Float]] = []
    for parameter in parameters {
      for suffix in [".exp_avg", ".exp_avg_sq"] {
        let name = parameter.name + suffix
        guard let tensor = state[name] else { throw .missingTensor(name) }
        guard tensor.shape == parameter.shape else {
          throw .shapeMismatch(name: name, expected: parameter.shape, got: tensor.shape)
        }
        if suffix == ".exp_avg" {
          first.append(tensor.scalars)
        } else {
          second.append(tensor.scalars)
        }
      }
    }
    firstMoments = first
    secondMoments = second
    self.stepCount = stepCount
  }

  /// Forgets the gradients of all parameters.
  public func zeroGradients() {
    parameters.zeroGradients()
  }
}
