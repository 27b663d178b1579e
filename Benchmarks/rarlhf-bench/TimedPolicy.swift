import RLHF

/// A policy that forwards to another and adds up the seconds spent in
/// sampling, no-grad evaluation and optimiser steps, so the PPO step's
/// phases can be timed without changing the trainer.
final class TimedPolicy: PPOPolicy, ReferencePolicy {
  let policy: GPTPolicy
  var sampling = 0.0
  var evaluation = 0.0
  var optimisation = 0.0

  init(_ policy: GPTPolicy) { self.policy = policy }

  /// Clears the accumulated times.
  func reset() {
    sampling = 0
    evaluation = 0
    optimisation = 0
  }

  func sample(prompts: [[Int]], maxNewTokens: Int, seed: UInt64) throws -> [[Int]] {
    var result: [[Int]] = []
    sampling += try Measurement.seconds {
      result = try policy.sample(prompts: prompts, maxNewTokens: maxNewTokens, seed: seed)
    }
    return result
  }

  func evaluate(prompts: [[Int]], responses: [[Int]]) throws -> ResponseEvaluation {
    var result = ResponseEvaluation(logProbs: [], values: [])
    evaluation += try Measurement.seconds {
      result = try policy.evaluate(prompts: prompts, responses: responses)
    }
    return result
  }

  func logProbs(prompts: [[Int]], responses: [[Int]]) throws -> [[Double]] {
    var result: [[Double]] = []
    evaluation += try Measurement.seconds {
      result = try policy.logProbs(prompts: prompts, responses: responses)
    }
    return result
  }

  func step(
    prompts: [[Int]], responses: [[Int]],
    lossGradient: (ResponseEvaluation) throws -> ResponseGradient
  ) throws {
    optimisation += try Measurement.seconds {
      try policy.step(prompts: prompts, responses: responses, lossGradient: lossGradient)
    }
  }
}

/// Random scores in place of a reward model, as the TRL reference passes
/// random scores to `PPOTrainer.step`.
final class RandomScorer: RewardScorer {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  func scores(prompts: [[Int]], responses: [[Int]]) throws -> [Double] {
    prompts.map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
  }
}
