import Testing

@testable import Tensors

@Suite struct TapeTests {
  private func smallNetwork(on tape: Tape, weight: Parameter, input: Tensor) -> Variable {
    let hidden = tape.gelu(tape.linear(Variable(input), weight: weight))
    return tape.sum(tape.softmax(hidden))
  }

  @Test func noGradTapeRecordsNothing() {
    let weight = Parameter("w", Tensor.ones([3, 2]))
    let tape = Tape(recording: false)
    let output = smallNetwork(on: tape, weight: weight, input: Tensor.ones([4, 3]))
    #expect(tape.recordedCount == 0)
    #expect(!output.requiresGrad)
    tape.backward(from: output)
    #expect(weight.grad == nil)
  }

  @Test func withoutRecordingSuspendsARecordingTape() {
    let weight = Parameter("w", Tensor.ones([3, 2]))
    let tape = Tape()
    _ = smallNetwork(on: tape, weight: weight, input: Tensor.ones([4, 3]))
    let recorded = tape.recordedCount
    #expect(recorded == 4)
    let inside = tape.withoutRecording {
      smallNetwork(on: tape, weight: weight, input: Tensor.ones([4, 3]))
    }
    #expect(tape.recordedCount == recorded)
    #expect(!inside.requiresGrad)
    #expect(tape.isRecording)
  }

  @Test func constantsAreNotRecorded() {
    let tape = Tape()
    let x = Variable(Tensor.ones([2, 2]))
    _ = tape.exp(tape.matmul(x, x))
    #expect(tape.recordedCount == 0)
  }

  @Test func gradientsAccumulateAcrossBackwardPasses() throws {
    let weight = Parameter("w", Tensor(shape: [2, 2], scalars: [0.1, -0.2, 0.3, 0.4]))
    let input = Tensor(shape: [1, 2], scalars: [1, 2])
    let tape = Tape()
    let output = tape.sum(tape.tanh(tape.linear(Variable(input), weight: weight)))
    tape.backward(from: output)
    let once = try #require(weight.grad)
    tape.backward(from: output)
    let twice = try #require(weight.grad)
    #expect(isClose(twice.scalars, once.scalars.map { 2 * $0 }, tolerance: 1e-6))
    #expect(once.scalars.allSatisfy { $0 != 0 })
    [weight].zeroGradients()
    #expect(weight.grad == nil)
  }

  /// Pushing an upstream gradient g into an intermediate y = x·W gives
  /// ∂/∂W = xᵀ·g, as an RLHF loss written analytically needs.
  @Test func backwardFromAnIntermediateUsesTheGivenGradient() throws {
    let weight = Parameter("w", Tensor(shape: [2, 1], scalars: [0.5, -1]))
    let input = Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])
    let tape = Tape()
    let y = tape.linear(Variable(input), weight: weight)
    _ = tape.sum(tape.exp(y))
    tape.backward(from: y, gradient: Tensor(shape: [3, 1], scalars: [1, 0, -2]))
    // xᵀ·g = (1·1 + 3·0 + 5·(−2), 2·1 + 4·0 + 6·(−2)) = (−9, −10).
    let grad = try #require(weight.grad)
    #expect(isClose(grad.scalars, [-9, -10], tolerance: 1e-5))
  }

  @Test func oneSweepWithTwoSeedsEqualsTwoSweeps() throws {
    func run(separately: Bool) throws -> [Float] {
      let weight = Parameter("w", Tensor(shape: [2, 2], scalars: [0.1, -0.2, 0.3, 0.4]))
      let tape = Tape()
      let hidden = tape.tanh(
        tape.linear(Variable(Tensor(shape: [1, 2], scalars: [1, 2])), weight: weight))
      let first = tape.exp(hidden)
      let second = tape.square(hidden)
      let g1 = Tensor(shape: [1, 2], scalars: [1, -1])
      let g2 = Tensor(shape: [1, 2], scalars: [0.5, 2])
      if separately {
        tape.backward(from: first, gradient: g1)
        tape.backward(from: second, gradient: g2)
      } else {
        tape.backward(seeds: [(first, g1), (second, g2)])
      }
      return try #require(weight.grad).scalars
    }
    #expect(isClose(try run(separately: true), try run(separately: false), tolerance: 1e-6))
  }

  @Test func reshapeSharesStorageAndInfersAnExtent() {
    let tensor = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let reshaped = tensor.reshaped([3, -1])
    #expect(reshaped.shape == [3, 2])
    #expect(reshaped.scalars == tensor.scalars)
  }

  @Test func validatingInitialiserNamesTheMismatch() {
    #expect(throws: TensorError.countMismatch(shape: [2, 2], expected: 4, got: 3)) {
      try Tensor(validatingShape: [2, 2], scalars: [1, 2, 3])
    }
    #expect(throws: TensorError.invalidShape([-1, 2])) {
      try Tensor(validatingShape: [-1, 2], scalars: [])
    }
  }
}
