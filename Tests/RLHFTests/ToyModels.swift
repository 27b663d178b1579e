import Foundation
import Tensors

@testable import RLHF

/// A context-free policy over a 3-token vocabulary: every response token is
/// drawn from softmax(θ), the value head is one weight per position, and
/// training is plain gradient descent. Its log-probs, entropies and
/// gradients are exact, so the trainer can be checked without a network.
final class ToyPolicy: PPOPolicy, ReferencePolicy, TextScorer {
  var theta: [Double]
  var valueWeights: [Double]
  let learningRate: Double
  /// Every gradient `step` received, in order.
  var receivedGradients: [ResponseGradient] = []
  /// The prompts of every `step`, in order.
  var steppedPrompts: [[[Int]]] = []

  init(theta: [Double] = [0, 0, 0], positions: Int, learningRate: Double = 1) {
    self.theta = theta
    self.valueWeights = [Double](repeating: 0, count: positions)
    self.learningRate = learningRate
  }

  var probabilities: [Double] {
    let top = theta.max() ?? 0
    let weights = theta.map { exp($0 - top) }
    let total = weights.reduce(0, +)
    return weights.map { $0 / total }
  }

  /// Response length is fixed by the prompt: 1 + prompt[0] mod maxNewTokens.
  func sample(prompts: [[Int]], maxNewTokens: Int, seed: UInt64) throws -> [[Int]] {
    var random = RandomGenerator(seed: seed)
    let p = probabilities
    return prompts.map { prompt in
      let length = 1 + (prompt.first ?? 0) % maxNewTokens
      return (0..<length).map { _ in
        let u = Double.random(in: 0..<1, using: &random)
        return u < p[0] ? 0 : (u < p[0] + p[1] ? 1 : 2)
      }
    }
  }

  func evaluate(prompts: [[Int]], responses: [[Int]]) throws -> ResponseEvaluation {
    let p = probabilities
    let entropy = -p.reduce(0) { $0 + $1 * log($1) }
    return ResponseEvaluation(
      logProbs: responses.map { $0.map { log(p[$0]) } },
      values: responses.map { $0.indices.map { valueWeights[$0] } },
      entropies: responses.map { $0.map { _ in entropy } })
  }

  func logProbs(prompts: [[Int]], responses: [[Int]]) throws -> [[Double]] {
    try evaluate(prompts: prompts, responses: responses).logProbs
  }

  /// The number of texts of every `tokenLogProbs` call, in order.
  var scoredTextCounts: [Int] = []

  func tokenLogProbs(texts: [[Int]]) throws -> [[Double]] {
    scoredTextCounts.append(texts.count)
    let p = probabilities
    return texts.map { $0.map { log(p[$0]) } }
  }

  func step(
    prompts: [[Int]], responses: [[Int]],
    lossGradient: (ResponseEvaluation) throws -> ResponseGradient
  ) throws {
    let gradient = try lossGradient(try evaluate(prompts: prompts, responses: responses))
    receivedGradients.append(gradient)
    steppedPrompts.append(prompts)
    let p = probabilities
    var dTheta = [Double](repeating: 0, count: theta.count)
    var dValue = [Double](repeating: 0, count: valueWeights.count)
    for (b, response) in responses.enumerated() {
      for (t, token) in response.enumerated() {
        let g = gradient.logProbs[b][t]
        for k in theta.indices { dTheta[k] += g * ((k == token ? 1 : 0) - p[k]) }
        dValue[t] += gradient.values[b][t]
      }
    }
    for k in theta.indices { theta[k] -= learningRate * dTheta[k] }
    for t in valueWeights.indices { valueWeights[t] -= learningRate * dValue[t] }
  }
}

/// Scores a response by its share of token 0, mapped to [−1, 1], and a
/// prompt alone by prompt[0] mod 5 − 2.
final class ToyRewardModel: RewardScorer {
  func scores(prompts: [[Int]], responses: [[Int]]) throws -> [Double] {
    zip(prompts, responses).map { prompt, response in
      if response.isEmpty { return Double((prompt.first ?? 0) % 5) - 2 }
      let zeros = response.filter { $0 == 0 }.count
      return 2 * Double(zeros) / Double(response.count) - 1
    }
  }
}

/// A reward model with the first score of its `call`-th call (0-based)
/// replaced by `score`, to exercise the non-finite guard; the trainer calls
/// it once per iteration.
final class ScoreAtCall: RewardScorer {
  let wrapped: any RewardScorer
  let call: Int
  let score: Double
  var calls = 0

  init(_ wrapped: any RewardScorer, call: Int, score: Double) {
    self.wrapped = wrapped
    self.call = call
    self.score = score
  }

  func scores(prompts: [[Int]], responses: [[Int]]) throws -> [Double] {
    defer { calls += 1 }
    var scores = try wrapped.scores(prompts: prompts, responses: responses)
    if calls == call, !scores.isEmpty { scores[0] = score }
    return scores
  }
}
