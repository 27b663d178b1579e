/// The policy π with its value head: samples, scores and trains.
///
/// This and the other model protocols (`ResponseSampler`, `ReferencePolicy`,
/// `RewardScorer`, `TextScorer`) state what the trainer needs of the
/// models, so the loop can be tested with small exact policies and run on
/// the `Models` GPT through `GPTPolicy`. Token sequences are token ids; a
/// response never includes its prompt; per-token arrays are ragged, one
/// entry per response token, entry t concerning response token t (the
/// model's prediction of it from everything before it).
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
