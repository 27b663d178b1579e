import Tensors
import Testing

@Suite struct OptimizerStateTests {
  private func run(_ optimizer: AdamW, _ parameter: Parameter, gradients: [[Float]]) {
    for gradient in gradients {
      parameter.grad = Tensor(shape: [2], scalars: gradient)
      optimizer.step()
    }
  }

  /// Three steps in one go equal one step, a save, a restore into a fresh
  /// optimiser and two more steps.
  @Test func restoredStateResumesExactly() throws {
    let gradients: [[Float]] = [[0.5, -1], [0.2, 0.3], [-0.4, 0.1]]
    let straight = Parameter("w", Tensor(shape: [2], scalars: [1, 2]))
    run(
      AdamW(parameters: [straight], learningRate: 0.1, weightDecay: 0.01), straight,
      gradients: gradients)

    let resumed = Parameter("w", Tensor(shape: [2], scalars: [1, 2]))
    let first = AdamW(parameters: [resumed], learningRate: 0.1, weightDecay: 0.01)
    run(first, resumed, gradients: [gradients[0]])
    let second = AdamW(parameters: [resumed], learningRate: 0.1, weightDecay: 0.01)
    try second.restore(state: first.stateTensors(), stepCount: first.stepCount)
    run(second, resumed, gradients: Array(gradients[1...]))
    #expect(resumed.value.scalars == straight.value.scalars)
  }

  @Test func restoreRefusesMissingOrMisshapenState() {
    let parameter = Parameter("w", Tensor.zeros([2]))
    let optimizer = AdamW(parameters: [parameter], learningRate: 0.1)
    #expect(throws: TensorError.missingTensor("w.exp_avg")) {
      try optimizer.restore(state: [:], stepCount: 1)
    }
    let wrong: [String: Tensor] = [
      "w.exp_avg": Tensor.zeros([3]), "w.exp_avg_sq": Tensor.zeros([2]),
    ]
    #expect(throws: TensorError.shapeMismatch(name: "w.exp_avg", expected: [2], got: [3])) {
      try optimizer.restore(state: wrong, stepCount: 1)
    }
    #expect(throws: TensorError.invalidStepCount(-1)) {
      try optimizer.restore(state: optimizer.stateTensors(), stepCount: -1)
    }
    #expect(optimizer.stepCount == 0)
  }
}
