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
///
/// A trainable policy's `evaluate` records its forward pass and keeps it
/// until the next `evaluate` or `step`: the first `step` on the same
/// episodes (in any order) with unchanged weights, PPO's first minibatch
/// when minibatch = batch, runs its backward pass on that recording
/// instead of a second forward pass. Results are the same as a fresh pass
/// (the same operations on the same weights; a permuted minibatch only
/// sums its gradient in another order).
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
  /// The last `evaluate`'s recorded forward pass, for the next `step`.
  private var recorded: RecordedPass?

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
  /// entropies of each response token. A trainable policy records the pass
  /// for the next `step` (see the type's notes); a frozen one does not.
  public func evaluate(prompts: [[Int]], responses: [[Int]]) throws -> ResponseEvaluation {
    recorded = nil
    guard optimizer != nil else {
      return try evaluateWithoutRecording(prompts: prompts, responses: responses)
    }
    let pass = try RecordedPass(
      model: model, prompts: prompts, responses: responses, padToken: padToken)
    recorded = pass
    return pass.evaluation
  }

  /// Log-probs of each response token (the reference model's use).
  public func logProbs(prompts: [[Int]], responses: [[Int]]) throws -> [[Double]] {
    try evaluateWithoutRecording(prompts: prompts, responses: responses).logProbs
  }

  /// `evaluate` on a tape that does not record.
  func evaluateWithoutRecording(
    prompts: [[Int]], responses: [[Int]]
  ) throws -> ResponseEvaluation {
    let layout = try Layout(prompts: prompts, responses: responses, padToken: padToken)
    let outputs = try model.evaluate(layout.batch, predictionsFrom: layout.first)
    return layout.gather(
      logProbs: outputs.logProbabilities, entropy: outputs.entropy, values: outputs.values)
  }

  /// Log-probs of every token of each text after its first (the first token
  /// has no prediction; prepend GPT-2's `<|endoftext|>` to score it).
  public func tokenLogProbs(texts: [[Int]]) throws -> [[Double]] {
    let evaluation = try evaluateWithoutRecording(
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
    defer { recorded = nil }
    if let pass = recorded, let rows = pass.rows(prompts: prompts, responses: responses),
      pass.weightsUnchanged(model)
    {
      try pass.backward(rows: rows, lossGradient: lossGradient)
      return
    }
    recorded = nil
    let layout = try Layout(prompts: prompts, responses: responses, padToken: padToken)
    let tape = Tape()
    let outputs = try model.forward(layout.batch, tape: tape, predictionsFrom: layout.first)
    let current = layout.gather(
      logProbs: outputs.logProbabilities.value, entropy: outputs.entropy.value,
      values: outputs.values?.value)
    try layout.seedBackward(tape: tape, outputs: outputs, gradient: lossGradient(current))
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
    /// prediction tensors and `[B, length − first]` values.
    func gather(logProbs: Tensor, entropy: Tensor, values: Tensor?) -> ResponseEvaluation {
      func rows(_ tensor: Tensor, _ stride: Int, _ offset: Int) -> [[Double]] {
        lengths.indices.map { b in
          (0..<lengths[b]).map { Double(tensor.scalars[b * stride + starts[b] - offset + $0]) }
        }
      }
      let width = length - 1 - first
      return ResponseEvaluation(
        logProbs: rows(logProbs, width, first),
        values: values.map { rows($0, length - first, first) }
          ?? lengths.map { [Double](repeating: 0, count: $0) },
        entropies: rows(entropy, width, first))
    }

    /// Runs `tape`'s backward pass seeded with `gradient` at the response
    /// positions of `outputs` (a forward pass of this layout).
    func seedBackward(tape: Tape, outputs: PolicyOutputs, gradient: ResponseGradient) throws {
      var seeds = [
        (
          outputs.logProbabilities,
          try scatter(gradient.logProbs, width: length - 1 - first, offset: first)
        )
      ]
      if let values = outputs.values {
        seeds.append(
          (values, try scatter(gradient.values, width: length - first, offset: first)))
      }
      tape.backward(seeds: seeds)
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

// MARK: - Recorded pass

extension GPTPolicy {
  /// A forward pass recorded on a tape by `evaluate`, whose backward pass
  /// a later `step` on the same episodes can run instead of its own
  /// forward pass.
  struct RecordedPass {
    let layout: Layout
    let tape: Tape
    let outputs: PolicyOutputs
    let evaluation: ResponseEvaluation
    /// Each episode's (prompt, response), in the recorded order.
    let episodes: [Episode]
    /// The weights the pass was made with (shared storage, so checking
    /// them is free while nothing has written to them).
    let weights: [[Float]]

    struct Episode: Hashable {
      let prompt: [Int]
      let response: [Int]
    }

    init(model: GPT, prompts: [[Int]], responses: [[Int]], padToken: Int) throws {
      layout = try Layout(prompts: prompts, responses: responses, padToken: padToken)
      tape = Tape()
      outputs = try model.forward(layout.batch, tape: tape, predictionsFrom: layout.first)
      evaluation = layout.gather(
        logProbs: outputs.logProbabilities.value, entropy: outputs.entropy.value,
        values: outputs.values?.value)
      episodes = zip(prompts, responses).map { Episode(prompt: $0, response: $1) }
      weights = model.parameters.map(\.value.scalars)
    }

    /// For each given episode, the recorded row holding it; nil unless the
    /// episodes are the recorded ones in some order.
    func rows(prompts: [[Int]], responses: [[Int]]) -> [Int]? {
      guard prompts.count == episodes.count, responses.count == episodes.count else {
        return nil
      }
      var free: [Episode: [Int]] = [:]
      for (row, episode) in episodes.enumerated().reversed() {
        free[episode, default: []].append(row)
      }
      var rows: [Int] = []
      rows.reserveCapacity(prompts.count)
      for (prompt, response) in zip(prompts, responses) {
        let episode = Episode(prompt: prompt, response: response)
        guard let row = free[episode]?.popLast() else { return nil }
        rows.append(row)
      }
      return rows
    }

    /// Whether `model`'s weights are still those of the pass.
    func weightsUnchanged(_ model: GPT) -> Bool {
      let parameters = model.parameters
      guard parameters.count == weights.count else { return false }
      return zip(parameters, weights).allSatisfy { $0.value.scalars == $1 }
    }

    /// Hands `lossGradient` the evaluation in the order of `rows` and runs
    /// the recorded backward pass seeded with its gradient.
    func backward(
      rows: [Int], lossGradient: (ResponseEvaluation) throws -> ResponseGradient
    ) throws {
      let current = ResponseEvaluation(
        logProbs: rows.map { evaluation.logProbs[$0] },
        values: rows.map { evaluation.values[$0] },
        entropies: evaluation.entropies.map { entropies in rows.map { entropies[$0] } })
      let gradient = try lossGradient(current)
      var logProbs = [[Double]](repeating: [], count: rows.count)
      var values = [[Double]](repeating: [], count: rows.count)
      for (position, row) in rows.enumerated() {
        guard position < gradient.logProbs.count, position < gradient.values.count else {
          break
        }
        logProbs[row] = gradient.logProbs[position]
        values[row] = gradient.values[position]
      }
      guard gradient.logProbs.count == rows.count else {
        throw RLHFError.shapeMismatch(
          name: "log-prob gradients", expected: rows.count, got: gradient.logProbs.count)
      }
      guard gradient.values.count == rows.count else {
        throw RLHFError.shapeMismatch(
          name: "value gradients", expected: rows.count, got: gradient.values.count)
      }
      try layout.seedBackward(
        tape: tape, outputs: outputs,
        gradient: ResponseGradient(logProbs: logProbs, values: values))
    }
  }
}
