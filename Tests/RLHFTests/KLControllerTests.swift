import Configuration
import Testing

@testable import RLHF

@Suite struct KLControllerTests {
  /// β₀ = 0.2, target 6, horizon 10 000, B = 128:
  /// KL 9 → e = clip(0.5) = 0.2 → β = 0.2 · (1 + 0.2 · 0.0128) = 0.200512;
  /// KL 6.6 → e = 0.1 → 0.200256; KL 0 → e = −0.2 → 0.199488;
  /// KL 6 → e = 0 → 0.2.
  @Test(arguments: [(9.0, 0.200512), (6.6, 0.200256), (0.0, 0.199488), (6.0, 0.2)])
  func adaptiveRuleMovesBetaProportionallyWithClipping(kl: Double, expected: Double) throws {
    var controller = try KLController(
      initialCoefficient: 0.2, rule: .adaptive(target: 6, horizon: 10_000))
    controller.update(observedKL: kl, steps: 128)
    #expect(isClose(controller.coefficient, expected, tolerance: 1e-15))
  }

  @Test func fixedRuleKeepsBeta() throws {
    var controller = try KLController(initialCoefficient: 0.05, rule: .fixed)
    controller.update(observedKL: 100, steps: 128)
    #expect(controller.coefficient == 0.05)
  }

  @Test func badSettingsAreRefused() {
    #expect(throws: RLHFError.self) {
      _ = try KLController(initialCoefficient: -0.1, rule: .fixed)
    }
    #expect(throws: RLHFError.self) {
      _ = try KLController(initialCoefficient: 0.2, rule: .adaptive(target: 0, horizon: 10))
    }
    #expect(throws: RLHFError.self) {
      _ = try KLController(initialCoefficient: 0.2, rule: .adaptive(target: 6, horizon: -1))
    }
  }

  /// Kept sums 1 + 3 = 4: the code divides by B = 4, the paper by α′ = 2.
  @Test func controllerInputFollowsCodeOrPaper() {
    let kl = [1.0, 2.0, 3.0, 4.0]
    let kept = [true, false, true, false]
    #expect(KLControllerInput.code.observedKL(episodeKL: kl, kept: kept) == 1)
    #expect(KLControllerInput.paper.observedKL(episodeKL: kl, kept: kept) == 2)
  }
}
