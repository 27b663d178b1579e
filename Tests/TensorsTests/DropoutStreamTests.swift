import Testing

@testable import Tensors

@Suite struct DropoutStreamTests {
  private func mask(seed: UInt64, stream: String) -> [Float] {
    var generator = RandomGenerator(seed: seed).derived(stream)
    let tape = Tape(recording: false)
    return tape.dropout(Variable(Tensor.ones([64])), rate: 0.5, using: &generator).value.scalars
  }

  @Test func oneSeedFixesTheMaskAndStreamsDiffer() {
    #expect(mask(seed: 3, stream: "dropout") == mask(seed: 3, stream: "dropout"))
    #expect(mask(seed: 3, stream: "dropout") != mask(seed: 4, stream: "dropout"))
    #expect(mask(seed: 3, stream: "dropout") != mask(seed: 3, stream: "attention"))
  }

  @Test func zeroRateReturnsTheInputAndLeavesTheStream() {
    var generator = RandomGenerator(seed: 1)
    let before = generator
    let x = Variable(Tensor.ones([4]))
    let y = Tape().dropout(x, rate: 0, using: &generator)
    #expect(y === x)
    #expect(generator == before)
  }
}
