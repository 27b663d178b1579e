import RLHF

/// Wall-clock and process CPU seconds added up over the calls of a phase.
struct PhaseTime {
  var wall = 0.0
  var cpu = 0.0

  /// Runs `body` and adds its times.
  mutating func add(_ body: () throws -> Void) rethrows {
    let elapsed = try Measurement.timed(body)
    wall += elapsed.wall
    cpu += elapsed.cpu
  }
}

/// A policy that forwards to another and adds up the seconds spent in
/// sampling, evaluation (recorded or no-grad) and optimiser steps, so the
/// PPO step's phases can be timed without changing the trainer.
final class TimedPolicy: PPOPolicy, ReferencePolicy {
  let policy: GPTPolicy
  var sampling = PhaseTime()
  var evaluation = PhaseTime()
  var optimisation = PhaseTime()

  init(_ policy: GPTPolicy) { self.policy = policy }

  /// Clears the accumulated times.
  func reset() {
    sampling = PhaseTime()
    evaluation = PhaseTime()
    optimisation = PhaseTime()
  }

  func sample(prompts: [[Int]], maxNewTokens: Int, seed: UInt64) throws -> [[Int]] {
    var result: [[Int]] = []
    try sampling.add {
      result = try policy.sample(prompts: prompts, maxNewTokens: maxNewTokens, seed: seed)
    }
    return result
  }

  func evaluate(prompts: [[Int]], responses: [[Int]]) throws -> ResponseEvaluation {
    var result = ResponseEvaluation(logProbs: [], values: [])
    try evaluation.add {
      result = try policy.evaluate(prompts: prompts, responses: responses)
    }
    return result
  }

  func logProbs(prompts: [[Int]], responses: [[Int]]) throws -> [[Double]] {
    var result: [[Double]] = []
    try evaluation.add {
      result = try policy.logProbs(prompts: prompts, responses: responses)
    }
    return result
  }

  func step(
    prompts: [[Int]], responses: [[Int]],
    lossGradient: (ResponseEvaluation) throws -> ResponseGradient
  ) throws {
    try optimisation.add {
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
