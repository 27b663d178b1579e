import Testing

@testable import Tensors

@Suite struct OptimizerTests {
  /// Two AdamW steps worked by hand with PyTorch's formulas (lr 0.1, λ 0.1,
  /// β 0.9/0.999, ε 1e-8). Step 1: p·(1 − 0.01), then m̂/√v̂ = sign(g) so
  /// p moves by 0.1: (0.89, −1.88). Step 2 with g = (0.1, 0.3):
  /// m = (0.055, 0.0075), v = (2.5975e-4, 1.524375e-4), bias corrections
  /// 0.19 and 0.001999, giving (0.800796, −1.875494). Float rounding keeps
  /// the result within 1e-5.
  @Test func adamWMatchesHandWorkedSteps() {
    let parameter = Parameter("p", Tensor(shape: [2], scalars: [1, -2]))
    let optimizer = AdamW(parameters: [parameter], learningRate: 0.1, weightDecay: 0.1)
    parameter.grad = Tensor(shape: [2], scalars: [0.5, -0.25])
    optimizer.step()
    #expect(isClose(parameter.value.scalars, [0.89, -1.88], tolerance: 1e-5))
    parameter.grad = Tensor(shape: [2], scalars: [0.1, 0.3])
    optimizer.step()
    #expect(isClose(parameter.value.scalars, [0.800_795_9, -1.875_494_5], tolerance: 1e-5))
    #expect(optimizer.stepCount == 2)
  }

  @Test func adamSkipsDecayAndParametersWithoutGradients() {
    let decayed = Parameter("w", Tensor(shape: [1], scalars: [1]))
    let exempt = Parameter("b", Tensor(shape: [1], scalars: [1]))
    let idle = Parameter("idle", Tensor(shape: [1], scalars: [3]))
    let optimizer = AdamW(
      parameters: [decayed, exempt, idle], learningRate: 0.1, weightDecay: 0.5,
      decays: { $0.name != "b" })
    decayed.grad = Tensor(shape: [1], scalars: [2])
    exempt.grad = Tensor(shape: [1], scalars: [2])
    optimizer.step()
    // Decay multiplies by 1 − 0.1·0.5 = 0.95 before the 0.1 Adam step.
    #expect(isClose(decayed.value.scalars, [0.85], tolerance: 1e-6))
    #expect(isClose(exempt.value.scalars, [0.9], tolerance: 1e-6))
    #expect(idle.value.scalars == [3])
  }

  @Test func clippingScalesToTheMaximumNorm() {
    let a = Parameter("a", Tensor.zeros([2]))
    let b = Parameter("b", Tensor.zeros([1]))
    a.grad = Tensor(shape: [2], scalars: [3, 0])
    b.grad = Tensor(shape: [1], scalars: [4])
    let norm = [a, b].clipGradientNorm(to: 1)
    #expect(Swift.abs(norm - 5) < 1e-6)
    #expect(Swift.abs([a, b].gradientNorm() - 1) < 1e-5)
    #expect(isClose(a.grad!.scalars + b.grad!.scalars, [0.6, 0, 0.8], tolerance: 1e-5))
    let unchanged = [a, b].clipGradientNorm(to: 10)
    #expect(Swift.abs(unchanged - 1) < 1e-5)
    #expect(isClose(b.grad!.scalars, [0.8], tolerance: 1e-5))
  }

  @Test(
    arguments: [
      (0, 0.0), (1, 0.25), (4, 1.0), (10, 1.0),
    ] as [(Int, Float)])
  func constantScheduleWarmsUpLinearly(step: Int, expected: Float) {
    let schedule = LearningRateSchedule(peak: 1, warmupSteps: 4)
    #expect(Swift.abs(schedule.rate(at: step) - expected) < 1e-6)
  }

  @Test(
    arguments: [
      (0, 0.0), (2, 2.0), (6, 1.0), (10, 0.0), (12, 0.0),
    ] as [(Int, Float)])
  func linearScheduleDecaysToZero(step: Int, expected: Float) {
    let schedule = LearningRateSchedule(peak: 2, warmupSteps: 2, decay: .linear(totalSteps: 10))
    #expect(Swift.abs(schedule.rate(at: step) - expected) < 1e-6)
  }
}
