import Tensors

/// What a training-mode `GPT.forward` returns: graph nodes on the tape, so
/// a caller can seed its own analytic gradients (∂L/∂log-probability,
/// ∂L/∂value) with `tape.backward(seeds:)`.
///
/// Prediction `t` is the distribution at position `t` over the token at
/// `t + 1`. The logits are never kept (the fused output layer makes them a
/// block at a time). Shapes below are for `predictionsFrom: 0`; with `f`, the
/// prediction axis has `length − 1 − f` entries, starting at prediction `f`.
public struct PolicyOutputs {
  /// log π(token[t + 1] | tokens[…t]), `[batchSize, length − 1]`.
  public let logProbabilities: Variable
  /// Entropy of each next-token distribution in nats,
  /// `[batchSize, length − 1]`.
  public let entropy: Variable
  /// The value head's output at every position, `[batchSize, length]`
  /// (positions `f..<length` with `f`);
  /// `nil` for a model without a value head.
  public let values: Variable?
}

/// What the no-grad `GPT.evaluate` returns: plain tensors, as
/// `PolicyOutputs` without the graph (for the reference model and the
/// rollout's old log-probabilities and values).
public struct PolicyEvaluation: Sendable {
  /// log π(token[t + 1] | tokens[…t]), `[batchSize, length − 1]`.
  public let logProbabilities: Tensor
  /// Entropy of each next-token distribution in nats,
  /// `[batchSize, length − 1]`.
  public let entropy: Tensor
  /// Value head outputs, `[batchSize, length]` (positions `f..<length`
  /// with `predictionsFrom: f`); `nil` without a value head.
  public let values: Tensor?
}
