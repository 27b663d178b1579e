import Foundation
import Testing

@testable import RLHF

@Suite struct PPOTrainerTests {
  /// B prompts whose first token sets the response length 1…maxNewTokens.
  static func prompts(_ count: Int) -> [[Int]] { (0..<count).map { [$0, 7] } }

  static func settings(batch: Int, schedule: SoftRiskSchedule? = nil) -> PPOTrainerSettings {
    var settings = PPOTrainerSettings(batchSize: batch, riskSchedule: schedule)
    settings.minibatchSize = batch / 2
    settings.epochs = 2
    settings.maxNewTokens = 4
    settings.initialKLCoefficient = 0.05
    settings.klRule = .adaptive(target: 0.5, horizon: 100)
    settings.seed = 42
    return settings
  }

  static let trlNames = [
    "ppo/loss/policy", "ppo/loss/value", "ppo/loss/total", "ppo/policy/entropy",
    "ppo/policy/approxkl", "ppo/policy/policykl", "ppo/policy/clipfrac",
    "ppo/policy/advantages_mean", "ppo/returns/mean", "ppo/returns/var", "ppo/val/vpred",
    "ppo/val/error", "ppo/val/clipfrac", "ppo/val/mean", "ppo/val/var",
    "ppo/val/var_explained", "objective/kl", "objective/kl_coef", "objective/entropy",
    "env/reward_mean", "env/reward_std", "tokens/responses_len_mean",
  ]

  /// The toy reward pays for token 0; PPO should raise its probability from
  /// 1/3 and the batch reward with it, while β reacts to the growing KL.
  @Test func plainPPORaisesTheRewardOfAToyPolicy() throws {
    let policy = ToyPolicy(positions: 4)
    let reference = ToyPolicy(positions: 4)
    let trainer = try PPOTrainer(
      settings: Self.settings(batch: 16), policy: policy, reference: reference,
      rewardModel: ToyRewardModel())
    var records: [IterationResult] = []
    for m in 0..<12 { records.append(try trainer.step(prompts: Self.prompts(16), iteration: m)) }

    #expect(policy.probabilities[0] > 0.6)
    let early = records.prefix(3).map { $0.statistics["env/reward_mean"] ?? .nan }
    let late = records.suffix(3).map { $0.statistics["env/reward_mean"] ?? .nan }
    #expect(late.reduce(0, +) > early.reduce(0, +) + 1)
    #expect((records.last?.statistics["objective/kl"] ?? 0) > 0)
    #expect(trainer.klController.coefficient != 0.05)
    for name in Self.trlNames {
      #expect(records.allSatisfy { $0.statistics[name]?.isFinite == true }, "\(name)")
    }
    #expect(records.allSatisfy { $0.keptCount == 16 && $0.episodes.allSatisfy(\.inTail) })
    // 2 epochs × 2 minibatches per iteration.
    #expect(policy.receivedGradients.count == 12 * 4)
  }

  /// B = 8, M = 6, n = 1, α = 0.5, ρ = 0.5: ⌈ρM⌉ = 3, K = 0.25, so α′ =
  /// 8, 8, ⌈8 · 0.75⌉ = 6, then 4. Rows outside the tail get no gradient.
  @Test func riskAverseRunKeepsTheScheduledTail() throws {
    let schedule = try SoftRiskSchedule(
      alpha: 0.5, batchSize: 8, iterations: 6, warmStart: 1, rho: 0.5)
    var settings = Self.settings(batch: 8, schedule: schedule)
    settings.minibatchSize = 8
    settings.epochs = 1
    let policy = ToyPolicy(positions: 4)
    let trainer = try PPOTrainer(
      settings: settings, policy: policy, reference: ToyPolicy(positions: 4),
      rewardModel: ToyRewardModel())
    var kept: [Int] = []
    for m in 0..<6 {
      let record = try trainer.step(prompts: Self.prompts(8), iteration: m)
      kept.append(record.keptCount)
      let tail = record.episodes.filter(\.inTail)
      #expect(tail.count >= record.keptCount)
      #expect(tail.allSatisfy { $0.firstTokenReturn <= record.threshold })
      #expect(
        record.episodes.filter { !$0.inTail }.allSatisfy { $0.firstTokenReturn > record.threshold })
      // One minibatch of all rows in shuffled order: map back by prompt.
      let gradient = try #require(policy.receivedGradients.last)
      let rows = try #require(policy.steppedPrompts.last).map { $0[0] }
      for (position, row) in rows.enumerated() {
        let silent = gradient.logProbs[position].allSatisfy { $0 == 0 }
        #expect(silent == !record.episodes[row].inTail, "iteration \(m), row \(row)")
      }
    }
    #expect(kept == [8, 8, 6, 4, 4, 4])
    #expect(kept == schedule.keptCounts())
  }

  @Test func sameSeedGivesTheSameRun() throws {
    func run() throws -> [IterationResult] {
      let trainer = try PPOTrainer(
        settings: Self.settings(batch: 8), policy: ToyPolicy(positions: 4),
        reference: ToyPolicy(positions: 4), rewardModel: ToyRewardModel())
      return try (0..<3).map { m in
        var record = try trainer.step(prompts: Self.prompts(8), iteration: m)
        record.statistics = record.statistics.filter { !$0.key.hasPrefix("time/") }
        return record
      }
    }
    #expect(try run() == run())
  }

  /// A non-finite score at iteration 2 is caught as a score; a finite one
  /// too large to whiten (the advantages' sum overflows) passes that check
  /// and makes the loss NaN, caught as the loss.
  @Test(arguments: [
    (Double.nan, "scores[0]"), (-.infinity, "scores[0]"),
    (.greatestFiniteMagnitude, "ppo/loss/total"),
  ])
  func nonFiniteQuantityStopsTheRunNamingTheIteration(score: Double, quantity: String) throws {
    let trainer = try PPOTrainer(
      settings: Self.settings(batch: 4), policy: ToyPolicy(positions: 4),
      reference: ToyPolicy(positions: 4),
      rewardModel: ScoreAtCall(ToyRewardModel(), call: 2, score: score))
    _ = try trainer.step(prompts: Self.prompts(4), iteration: 0)
    _ = try trainer.step(prompts: Self.prompts(4), iteration: 1)
    #expect {
      _ = try trainer.step(prompts: Self.prompts(4), iteration: 2)
    } throws: { error in
      guard case RLHFError.nonFinite(let iteration, let named, _) = error else { return false }
      return iteration == 2 && named == quantity
    }
  }

  @Test func wrongPromptCountAndBadSettingsAreRefused() throws {
    let trainer = try PPOTrainer(
      settings: Self.settings(batch: 4), policy: ToyPolicy(positions: 4),
      reference: ToyPolicy(positions: 4), rewardModel: ToyRewardModel())
    #expect(throws: RLHFError.shapeMismatch(name: "prompts", expected: 4, got: 3)) {
      _ = try trainer.step(prompts: Self.prompts(3), iteration: 0)
    }
    var settings = Self.settings(batch: 6)
    settings.minibatchSize = 4
    #expect(throws: RLHFError.self) {
      _ = try PPOTrainer(
        settings: settings, policy: ToyPolicy(positions: 4),
        reference: ToyPolicy(positions: 4), rewardModel: ToyRewardModel())
    }
  }
}
