/// What the PPO trainer needs of the models, stated as protocols so the loop
/// can be tested with small exact policies and wired to the GPT-2 policy of
/// the `Models` module by an adapter.
///
/// Token sequences are GPT-2 token ids. A response never includes its
/// prompt; per-token arrays are ragged, one entry per response token, where
/// entry t concerns response token t (the model's prediction of it from the
/// prompt and response tokens before it).

/// Per-token outputs of a policy with a value head on given responses.
public struct ResponseEvaluation: Sendable, Equatable {
  /// log π(aₜ | sₜ) of each response token, per episode (ragged).
  public var logProbs: [[Double]]
  /// V(sₜ), the value head at each response token, per episode (ragged).
  public var values: [[Double]]
  /// Entropy of the next-token distribution at each response token (nats),
  /// per episode (ragged), or nil if the policy does not report it.
  public var entropies: [[Double]]?

  /// Makes an evaluation.
  public init(logProbs: [[Double]], values: [[Double]], entropies: [[Double]]? = nil) {
    self.logProbs = logProbs
    self.values = values
    self.entropies = entropies
  }
}

/// ∂L/∂log π and ∂L/∂V for each response token, per episode (ragged), to
/// be back-propagated through the network.
public struct ResponseGradient: Sendable, Equatable {
  /// ∂L/∂log π(aₜ | sₜ), per episode (ragged).
  public var logProbs: [[Double]]
  /// ∂L/∂V(sₜ), per episode (ragged).
  public var values: [[Double]]

  /// Makes a gradient.
  public init(logProbs: [[Double]], values: [[Double]]) {
    self.logProbs = logProbs
    self.values = values
  }
}

/// A language model that completes prompts (the policy, or a base or SFT
/// model under evaluation).
public protocol ResponseSampler: AnyObject {
  /// Samples one response per prompt (top-k 0, top-p 1 in the paper), each of
  /// 1…`maxNewTokens` tokens, using only `seed` for randomness.
  func sample(prompts: [[Int]], maxNewTokens: Int, seed: UInt64) throws -> [[Int]]
}

/// The policy π with its value head: samples, scores and trains.
public protocol PPOPolicy: ResponseSampler {

  /// Log-probs, values and entropies of the responses, without gradients.
  func evaluate(prompts: [[Int]], responses: [[Int]]) throws -> ResponseEvaluation

  /// One optimiser step: a forward pass with gradients, `lossGradient`
  /// called once on its outputs, the backward pass from the gradient it
  /// returns, then the parameter update.
  func step(
    prompts: [[Int]], responses: [[Int]],
    lossGradient: (ResponseEvaluation) throws -> ResponseGradient
  ) throws
}

/// The frozen reference policy π_ref.
public protocol ReferencePolicy: AnyObject {
  /// log π_ref of each response token, per episode (ragged).
  func logProbs(prompts: [[Int]], responses: [[Int]]) throws -> [[Double]]
}

/// The reward model R(x, y).
public protocol RewardScorer: AnyObject {
  /// One score per episode: the reward model on prompt + response. An empty
  /// response asks for the score of the prompt alone.
  func scores(prompts: [[Int]], responses: [[Int]]) throws -> [Double]
}

/// A language model that gives the log-probability of each token of a text,
/// for perplexity.
public protocol TextScorer: AnyObject {
  /// Per text, log p of every predicted token (nats), in order.
  func tokenLogProbs(texts: [[Int]]) throws -> [[Double]]
}
