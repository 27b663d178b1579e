import Foundation
import Tensors
import Testing

@testable import RLHF

@Suite struct PPOLossTests {
  /// Three kept tokens and one masked token with wild values.
  ///
  /// Policy (ε = 0.2): token a, Â = 1, ρ = 1.5 → max(−1.5, −1.2) = −1.2,
  /// clipped, no gradient; token b, Â = −2, ρ = 0.5 → max(1, 1.6) = 1.6,
  /// clipped, no gradient; token c, Â = 0.5, ρ = 1.1 → tie at −0.55,
  /// gradient −Âρ = −0.55. L_pg = (−1.2 + 1.6 − 0.55)/3 = −0.05.
  /// Value (ε_v = 0.2): a, V = 1, V_old = 0.5, G = 2 → clip to 0.7,
  /// max(1, 1.69) = 1.69, no gradient; b, V = 0, V_old = 0.1, G = −1 →
  /// inside, tie at 1, gradient 2(V − G) = 2; c, V = 0.5, V_old = 1, G = 3 →
  /// clip to 0.8, max(6.25, 4.84) = 6.25, gradient −5.
  /// L_vf = ½ · 8.94/3 = 1.49; L = −0.05 + 0.1 · 1.49 = 0.099.
  static let minibatch = PPOMinibatch(
    rows: [0], length: 4, oldLogProbs: [-1, -1, -1, -3],
    values: [0.5, 0.1, 1.0, 7], advantages: [1, -2, 0.5, 40],
    returns: [2, -1, 3, -50], mask: [1, 1, 1, 0])
  static let logProbs = [-1 + log(1.5), -1 + log(0.5), -1 + log(1.1), 5]
  static let values = [1.0, 0.0, 0.5, 100]

  @Test func lossesMatchHandWorkedValues() throws {
    let loss = try PPOLoss(clipRange: 0.2, valueClipRange: 0.2, valueCoefficient: 0.1)
    let result = try loss.evaluate(
      Self.minibatch, logProbs: Self.logProbs, values: Self.values,
      entropies: [1, 2, 3, 1000])
    #expect(isClose(result.policyLoss, -0.05))
    #expect(isClose(result.valueLoss, 1.49))
    #expect(isClose(result.totalLoss, 0.099))
    #expect(!result.skipped)
    let logProbExpected: [Double] = [0, 0, -0.55 / 3, 0]
    let valueExpected: [Double] = [0, 0.1 / 3, -0.25 / 3, 0]
    #expect(isClose(result.logProbGradient, logProbExpected))
    #expect(isClose(result.valueGradient, valueExpected))
  }

  @Test func statisticsMatchHandWorkedValues() throws {
    let loss = try PPOLoss()
    let stats = try loss.evaluate(
      Self.minibatch, logProbs: Self.logProbs, values: Self.values,
      entropies: [1, 2, 3, 1000]
    ).statistics
    let expected: [String: Double] = [
      "ppo/loss/policy": -0.05,
      "ppo/loss/value": 1.49,
      "ppo/loss/total": 0.099,
      "ppo/policy/entropy": 2,
      // ½(ln²1.5 + ln²0.5 + ln²1.1)/3
      "ppo/policy/approxkl": 0.10898983303094993,
      "ppo/policy/policykl": -log(0.825) / 3,
      "ppo/policy/clipfrac": 2.0 / 3,
      "ppo/policy/advantages_mean": -1.0 / 6,
      "ppo/returns/mean": 4.0 / 3,
      "ppo/returns/var": 39.0 / 9,
      "ppo/val/vpred": 0.5,
      "ppo/val/error": 2.75,
      "ppo/val/clipfrac": 1.0 / 3,
      "ppo/val/mean": 1.6 / 3,
      "ppo/val/var": 0.61 / 3,
    ]
    #expect(Set(stats.keys) == Set(expected.keys))
    for (name, value) in expected {
      #expect(isClose(stats[name] ?? .nan, value, tolerance: 1e-12), "\(name)")
    }
  }

  @Test func ratioAboveThresholdSkipsTheMinibatch() throws {
    let loss = try PPOLoss(ratioThreshold: 1.01)
    let result = try loss.evaluate(Self.minibatch, logProbs: Self.logProbs, values: Self.values)
    #expect(result.skipped)  // mean ratio (1.5 + 0.5 + 1.1)/3 ≈ 1.033
    #expect(result.totalLoss == 0)
    #expect(result.logProbGradient.allSatisfy { $0 == 0 })
    #expect(result.valueGradient.allSatisfy { $0 == 0 })
  }

  /// Central differences of the total loss against the analytic gradient
  /// on a random minibatch whose points sit away from the clipping kinks
  /// with probability 1; h = 1e-6, tolerance 1e-7 (the loss is piecewise
  /// smooth, so the error is O(h²) plus rounding ~1e-10).
  @Test(arguments: [UInt64(1), 2, 3])
  func gradientsMatchCentralDifferences(seed: UInt64) throws {
    var random = RandomGenerator(seed: seed)
    let count = 24
    let mask = (0..<count).map { _ in Double.random(in: 0..<1, using: &random) < 0.7 ? 1.0 : 0 }
    let old = (0..<count).map { _ in Double.random(in: -3 ... -0.5, using: &random) }
    let minibatch = PPOMinibatch(
      rows: [0, 1, 2], length: 8, oldLogProbs: old,
      values: (0..<count).map { _ in Double.random(in: -1...1, using: &random) },
      advantages: (0..<count).map { _ in Double.random(in: -2...2, using: &random) },
      returns: (0..<count).map { _ in Double.random(in: -2...2, using: &random) },
      mask: mask)
    let logProbs = old.map { $0 + Double.random(in: -0.4...0.4, using: &random) }
    let values = minibatch.values.map { $0 + Double.random(in: -0.5...0.5, using: &random) }
    let loss = try PPOLoss(clipRange: 0.2, valueClipRange: 0.2, valueCoefficient: 0.1)
    let result = try loss.evaluate(minibatch, logProbs: logProbs, values: values)

    let h = 1e-6
    for i in 0..<count {
      var up = logProbs
      var down = logProbs
      up[i] += h
      down[i] -= h
      let numeric =
        (try loss.evaluate(minibatch, logProbs: up, values: values).totalLoss
          - loss.evaluate(minibatch, logProbs: down, values: values).totalLoss) / (2 * h)
      #expect(isClose(result.logProbGradient[i], numeric, tolerance: 1e-7), "log-prob \(i)")
      var vUp = values
      var vDown = values
      vUp[i] += h
      vDown[i] -= h
      let numericValue =
        (try loss.evaluate(minibatch, logProbs: logProbs, values: vUp).totalLoss
          - loss.evaluate(minibatch, logProbs: logProbs, values: vDown).totalLoss) / (2 * h)
      #expect(isClose(result.valueGradient[i], numericValue, tolerance: 1e-7), "value \(i)")
    }
    // The random draw must exercise both clipped and unclipped tokens.
    #expect(result.logProbGradient.contains { $0 != 0 })
    #expect(
      result.logProbGradient.enumerated().contains { $0.element == 0 && mask[$0.offset] == 1 })
  }

  @Test func badInputIsRefused() throws {
    let loss = try PPOLoss()
    #expect(throws: RLHFError.shapeMismatch(name: "values", expected: 4, got: 3)) {
      _ = try loss.evaluate(Self.minibatch, logProbs: Self.logProbs, values: [1, 2, 3])
    }
    var empty = Self.minibatch
    empty.mask = [0, 0, 0, 1]
    #expect(throws: RLHFError.maskTooSmall(quantity: "PPO loss", kept: 1, needed: 2)) {
      _ = try loss.evaluate(empty, logProbs: Self.logProbs, values: Self.values)
    }
    #expect(throws: RLHFError.self) { _ = try PPOLoss(clipRange: 0) }
    #expect(throws: RLHFError.self) { _ = try PPOLoss(valueCoefficient: -1) }
  }

  @Test func minibatchGathersRowsOfTheBatch() throws {
    let batch = try HandBatch.batch(keptCount: 2)
    let minibatch = batch.minibatch(rows: [1])
    #expect(minibatch.oldLogProbs == [-1.5, -0.7, 0])
    #expect(minibatch.mask == [1, 1, 0])
    #expect(isClose(minibatch.returns, [-0.665, -1.03, 0]))
  }
}
