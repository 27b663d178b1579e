import Models
import Tensors

/// The `Models` GPT (with its value head for the policy) behind the
/// trainer's protocols: sampling with the KV cache, no-grad log-probs,
/// values and entropies for rollouts and the reference model, and training
/// steps that seed the network's backward pass with `PPOLoss`'s analytic
/// gradients (`Tape.backward(seeds:)`), then take an Adam step.
///
/// Prompts and responses are joined and left-padded. Response token t of an
/// episode whose response starts at position s is predicted at position
/// s + t − 1; its log-prob, entropy and value are read there, as TRL reads
/// `logprobs` and `values[:, :-1]` at the same index. Logits are computed
/// only from the earliest response prediction of the batch on (the prompt's
/// vocabulary-wide work is skipped). Dropout is off in every pass, as TRL's
/// PPO runs the policy in evaluation mode.
public final class GPTPolicy: PPOPolicy, ReferencePolicy, TextScorer {
  /// The network.
  public let model: GPT
  /// The optimiser of `step`; nil for a frozen model (reference, scorer).
  public let optimizer: AdamW?
  /// The token used for left padding (any valid id; it is masked out).
  public let padToken: Int
  /// Temperature, top-k and top-p of `sample` (paper: top-k 0, top-p 1).
  public let sampling: SamplingOptions
  /// A token that ends a response (GPT-2's `<|endoftext|>`), or nil to keep
  /// every sampled token.
  public let stopToken: Int?

  /// Wraps `model`; with a `learningRate` (> 0) `step` trains it with Adam
  /// (β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay, as TRL's default).
  public init(
    model: GPT, learningRate: Float? = nil, padToken: Int = 0,
    sampling: SamplingOptions = SamplingOptions(), stopToken: Int? = nil
  ) {
    self.model = model
    self.stopToken = stopToken
    self.optimizer = learningRate.map { AdamW(parameters: model.parameters, learningRate: $0) }
    self.padToken = padToken
    self.sampling = sampling
  }

  // MARK: - Protocols

  /// Samples `maxNewTokens` tokens per prompt from the stream `seed`, each
  /// response then cut after its first `stopToken` (kept), as TRL's
  /// `generate(remove_padding=True)` cuts after the first end-of-text.
  public func sample(prompts: [[Int]], maxNewTokens: Int, seed: UInt64) throws -> [[Int]] {
    var generator = RandomGenerator(seed: seed)
    let sampled = try model.generate(
      TokenBatch.leftPadded(prompts, padToken: padToken), newTokens: maxNewTokens,
      sampling: sampling, generator: &generator)
    guard let stopToken else { return sampled }
    return sampled.map { response in
      response.firstIndex(of: stopToken).map { Array(response[...$0]) } ?? response
    }
  }

  /// Log-probs, values (when the model has a value head, else zeros) and
  /// entropies of each response token, without recording.
  public func evaluate(prompts: [[Int]], responses: [[Int]]) throws -> ResponseEvaluation {
    let layout = try Layout(prompts: prompts, responses: responses, padToken: padToken)
    let outputs = try model.evaluate(layout.batch, predictionsFrom: layout.first)
    return layout.gather(
      logProbs: outputs.logProbabilities, entropy: outputs.entropy, values: outputs.values)
  }

  /// Log-probs of each response token (the reference model's use).
  public func logProbs(prompts: [[Int]], responses: [[Int]]) throws -> [[Double]] {
    try evaluate(prompts: prompts, responses: responses).logProbs
  }

  /// Log-probs of every token of each text after its first (the first token
  /// has no prediction; prepend GPT-2's `<|endoftext|>` to score it).
  public func tokenLogProbs(texts: [[Int]]) throws -> [[Double]] {
    let evaluation = try evaluate(
      prompts: texts.map { Array($0.prefix(1)) }, responses: texts.map { Array($0.dropFirst()) })
    return evaluation.logProbs
  }

  /// One Adam step on the loss whose gradient `lossGradient` gives.
  ///
  /// - Throws: `RLHFError.invalidParameter` for a model without optimiser.
  public func step(
    prompts: [[Int]], responses: [[Int]],
    lossGradient: (ResponseEvaluation) throws -> ResponseGradient
  ) throws {
    guard let optimizer else {
      throw RLHFError.invalidParameter(
        name: "learning rate of a frozen model", value: 0, allowed: "given to train it")
    }
    optimizer.zeroGradients()
    try accumulateGradients(prompts: prompts, responses: responses, lossGradient: lossGradient)
    optimizer.step()
  }

  /// The forward pass on a tape and the backward pass seeded with the
  /// gradient `lossGradient` returns; parameters' `grad` accumulate.
  func accumulateGradients(
    prompts: [[Int]], responses: [[Int]],
    lossGradient: (ResponseEvaluation) throws -> ResponseGradient
  ) throws {
    let layout = try Layout(prompts: prompts, responses: responses, padToken: padToken)
    let tape = Tape()
    let outputs = try model.forward(layout.batch, tape: tape, predictionsFrom: layout.first)
    let current = layout.gather(
      logProbs: outputs.logProbabilities.value, entropy: outputs.entropy.value,
      values: outputs.values?.value)
    let gradient = try lossGradient(current)
    var seeds = [
      (
        outputs.logProbabilities,
        try layout.scatter(
          gradient.logProbs, width: layout.length - 1 - layout.first, offset: layout.first)
      )
    ]
    if let values = outputs.values {
      seeds.append((values, try layout.scatter(gradient.values, width: layout.length, offset: 0)))
    }
    tape.backward(seeds: seeds)
  }

  // MARK: - Layout

  /// Where each response token sits in the joined, left-padded batch.
  struct Layout {
    let batch: TokenBatch
    /// Per episode, the prediction index of its first response token.
    let starts: [Int]
    /// The earliest of `starts`: the first prediction computed.
    let first: Int
    let lengths: [Int]
    var length: Int { batch.length }

    init(prompts: [[Int]], responses: [[Int]], padToken: Int) throws {
      guard prompts.count == responses.count else {
        throw RLHFError.shapeMismatch(
          name: "responses", expected: prompts.count, got: responses.count)
      }
      for (b, prompt) in prompts.enumerated() where prompt.isEmpty {
        throw RLHFError.emptyInput(name: "prompt \(b)")
      }
      let sequences = zip(prompts, responses).map { $0 + $1 }
      let joined = TokenBatch.leftPadded(sequences, padToken: padToken)
      batch = joined
      lengths = responses.map(\.count)
      starts = sequences.indices.map { b in
        joined.length - sequences[b].count + prompts[b].count - 1
      }
      first = starts.min() ?? 0
    }

    /// Ragged per-response-token rows from `[B, length − 1 − first]`
    /// prediction tensors and `[B, length]` values.
    func gather(logProbs: Tensor, entropy: Tensor, values: Tensor?) -> ResponseEvaluation {
      func rows(_ tensor: Tensor, _ stride: Int, _ offset: Int) -> [[Double]] {
        lengths.indices.map { b in
          (0..<lengths[b]).map { Double(tensor.scalars[b * stride + starts[b] - offset + $0]) }
        }
      }
      let width = length - 1 - first
      return ResponseEvaluation(
        logProbs: rows(logProbs, width, first),
        values: values.map { rows($0, length, 0) }
          ?? lengths.map { [Double](repeating: 0, count: $0) },
        entropies: rows(entropy, width, first))
    }

    /// A `[B, width]` tensor holding ragged per-response-token gradients at
    /// their prediction positions less `offset`, zero elsewhere.
    func scatter(_ ragged: [[Double]], width: Int, offset: Int) throws -> Tensor {
      var scalars = [Float](repeating: 0, count: lengths.count * width)
      for (b, row) in ragged.enumerated() {
        guard row.count == lengths[b] else {
          throw RLHFError.shapeMismatch(
            name: "gradient of episode \(b)", expected: lengths[b], got: row.count)
        }
        for (t, value) in row.enumerated() {
          scalars[b * width + starts[b] - offset + t] = Float(value)
        }
      }
      return Tensor(shape: [lengths.count, width], scalars: scalars)
    }
  }
}
