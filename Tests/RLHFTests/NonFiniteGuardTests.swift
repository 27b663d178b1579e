import Testing

@testable import RLHF

@Suite struct NonFiniteGuardTests {
  @Test func nanStatisticNamesIterationAndQuantity() {
    let stats = ["ppo/loss/policy": 0.1, "ppo/loss/total": .nan, "objective/kl": 2]
    #expect {
      try NonFiniteGuard.check(stats, iteration: 7)
    } throws: { error in
      let message = String(describing: error)
      return message.contains("iteration 7") && message.contains("ppo/loss/total")
    }
  }

  @Test func infiniteValueInArrayNamesItsIndex() {
    #expect(throws: RLHFError.nonFinite(iteration: 3, quantity: "scores[1]", value: .infinity)) {
      try NonFiniteGuard.check([0, .infinity], "scores", iteration: 3)
    }
  }

  @Test func finiteValuesPass() throws {
    try NonFiniteGuard.check(["a": 1, "b": -2], iteration: 0)
    try NonFiniteGuard.check(1e300, "loss", iteration: 0)
  }
}
