import Foundation
import Tensors

/// A GPT-2-architecture language model of any size with the output layer
/// tied to the token embedding (Hugging Face's `GPT2LMHeadModel`) and an
/// optional scalar value head on the final hidden states (TRL's
/// `AutoModelForCausalLMWithValueHead`: `v_head.summary`, a linear map
/// `dModel → 1` after dropout).
///
/// Forward passes take a `TokenBatch`, so left-padded batches work through
/// its mask and position ids. Every method that takes a `Tape` records on
/// it when it is recording; `evaluate`, `logits`, `perplexity` and
/// `generate` never record.
public final class GPT {
  /// The dimensions.
  public let configuration: GPTConfiguration
  /// Embeddings, blocks and final layer norm.
  public let trunk: GPTTrunk
  /// `v_head.summary.weight`, `[1, dModel]` (PyTorch `Linear` layout), when
  /// the model has a value head.
  public let valueHeadWeight: Parameter?
  /// `v_head.summary.bias`, `[1]`, when the model has a value head.
  public let valueHeadBias: Parameter?

  /// A model with Hugging Face's GPT-2 initialisation drawn from
  /// `generator`; the value head, when asked for, is initialised as
  /// PyTorch's `Linear`: U(−1/√dModel, 1/√dModel) for weight and bias.
  ///
  /// - Throws: `ModelsError.invalidConfiguration` for a configuration out of
  ///   range.
  public init(
    configuration: GPTConfiguration, valueHead: Bool = false,
    generator: inout RandomGenerator
  ) throws(ModelsError) {
    trunk = try GPTTrunk(configuration: configuration, generator: &generator)
    self.configuration = configuration
    if valueHead {
      let bound = 1 / Float(configuration.dModel).squareRoot()
      valueHeadWeight = Parameter(
        GPT2Layout.valueHeadWeight,
        .randomUniform(
          [1, configuration.dModel], lowerBound: -bound, upperBound: bound, using: &generator))
      valueHeadBias = Parameter(
        GPT2Layout.valueHeadBias,
        .randomUniform([1], lowerBound: -bound, upperBound: bound, using: &generator))
    } else {
      valueHeadWeight = nil
      valueHeadBias = nil
    }
  }

  /// Whether the model has a value head.
  public var hasValueHead: Bool { valueHeadWeight != nil }

  /// Every parameter: the trunk's in `GPT2Layout.trunkShapes` order, then
  /// the value head's weight and bias.
  public var parameters: [Parameter] {
    trunk.parameters + [valueHeadWeight, valueHeadBias].compactMap { $0 }
  }

  // MARK: - Training-mode forward

  /// Log-probabilities of the realised next tokens, entropies, logits and
  /// values, recorded on `tape`, without dropout (as TRL's PPO runs the
  /// policy, which `from_pretrained` leaves in evaluation mode).
  ///
  /// - Parameters:
  ///   - batch: at least 2 positions, ids below `vocabularySize`, at most
  ///     `contextLength` positions.
  ///   - first: the first prediction computed, in `0..<length − 1`; with
  ///     `first = f`, log-probabilities and entropies cover predictions
  ///     `f..<length − 1` (for example only a response's tokens, which
  ///     saves the vocabulary-wide work on the prompt) and values cover
  ///     positions `f..<length`; the last block works only on those
  ///     positions.
  /// - Throws: `ModelsError.tokenOutOfRange`, `.sequenceTooLong` or
  ///   `.invalidArgument` for arguments that do not fit.
  public func forward(
    _ batch: TokenBatch, tape: Tape, predictionsFrom first: Int = 0
  ) throws(ModelsError) -> PolicyOutputs {
    var none: RandomGenerator? = nil
    return try forward(batch, tape: tape, first: first, dropout: &none)
  }

  /// `forward(_:tape:predictionsFrom:)` with dropout at
  /// `configuration.dropout` drawn from `generator` (embeddings, attention,
  /// residual branches, value head input).
  public func forward(
    _ batch: TokenBatch, tape: Tape, predictionsFrom first: Int = 0,
    dropout generator: inout RandomGenerator
  ) throws(ModelsError) -> PolicyOutputs {
    var stream: RandomGenerator? = generator
    defer { generator = stream ?? generator }
    return try forward(batch, tape: tape, first: first, dropout: &stream)
  }

  func forward(
    _ batch: TokenBatch, tape: Tape, first: Int, dropout: inout RandomGenerator?,
    outputLayer: OutputLayerPath = .fused
  ) throws(ModelsError) -> PolicyOutputs {
    try validate(batch, minimumLength: 2)
    guard first >= 0, first < batch.length - 1 else {
      throw .invalidArgument(
        name: "predictionsFrom", value: "\(first)", allowed: "in 0..<\(batch.length - 1)")
    }
    // Only the predictions' positions and the last one (its value).
    let hidden = trunk.hiddenStates(batch, tape: tape, dropout: &dropout, from: first)
    let (logProbabilities, entropy) = nextTokenPredictions(
      hidden, targets: batch.targets(from: first), tape: tape, path: outputLayer)
    var values: Variable? = nil
    if let valueHeadWeight, let valueHeadBias {
      let input = trunk.drop(hidden, tape: tape, &dropout)
      let weight = tape.reshape(valueHeadWeight, to: [configuration.dModel, 1])
      let projected = tape.linear(input, weight: weight, bias: valueHeadBias)
      values = tape.reshape(projected, to: [batch.batchSize, batch.length - first])
    }
    return PolicyOutputs(logProbabilities: logProbabilities, entropy: entropy, values: values)
  }

  /// The masked mean next-token negative log-likelihood (the language-model
  /// loss of base training and SFT), a rank-0 node on `tape`.
  ///
  /// - Parameters:
  ///   - batch: at least 2 positions.
  ///   - lossMask: `[batchSize, length − 1]`, row-major, weights of the
  ///     predictions (prediction `t` is of token `t + 1`); by default
  ///     `batch.predictionMask`. A mask summing to 0 gives loss 0.
  ///   - dropout: the dropout stream, or `nil` for none.
  public func languageModelLoss(
    _ batch: TokenBatch, lossMask: [Float]? = nil, tape: Tape,
    dropout: inout RandomGenerator?
  ) throws(ModelsError) -> Variable {
    try validate(batch, minimumLength: 2)
    let mask = lossMask ?? batch.predictionMask
    let predictions = [batch.batchSize, batch.length - 1]
    guard mask.count == predictions[0] * predictions[1] else {
      throw .inputShapeMismatch(name: "lossMask", expected: predictions, found: mask.count)
    }
    let hidden = trunk.hiddenStates(batch, tape: tape, dropout: &dropout)
    let (logProbabilities, _) = nextTokenPredictions(
      hidden, targets: batch.targets(from: 0), tape: tape, path: .fused)
    let weighted = tape.multiply(
      logProbabilities, Variable(Tensor(shape: predictions, scalars: mask)))
    let total = mask.reduce(0, +)
    return tape.scale(tape.sum(weighted), by: total > 0 ? -1 / total : 0)
  }

  /// One optimiser step on the language-model loss: clears gradients, runs
  /// the forward and backward passes with dropout from `dropout` (`nil` for
  /// none), and applies `optimizer`. Returns the loss before the step.
  public func languageModelTrainingStep(
    _ batch: TokenBatch, lossMask: [Float]? = nil, optimizer: AdamW,
    dropout: inout RandomGenerator?
  ) throws(ModelsError) -> Float {
    optimizer.zeroGradients()
    let loss = try accumulateLanguageModelGradients(
      batch, lossMask: lossMask, dropout: &dropout)
    // The tape is gone by now: its records hold the weights' storage, and
    // the optimiser's in-place update would otherwise copy every weight.
    optimizer.step()
    return loss
  }

  /// The forward and backward passes of `languageModelTrainingStep` on a
  /// tape released on return; returns the loss.
  private func accumulateLanguageModelGradients(
    _ batch: TokenBatch, lossMask: [Float]?, dropout: inout RandomGenerator?
  ) throws(ModelsError) -> Float {
    let tape = Tape()
    let loss = try languageModelLoss(batch, lossMask: lossMask, tape: tape, dropout: &dropout)
    tape.backward(from: loss)
    return loss.value.scalar
  }

  // MARK: - No-grad evaluation

  /// `forward(_:tape:predictionsFrom:)`'s quantities as plain tensors,
  /// without recording and without dropout.
  public func evaluate(
    _ batch: TokenBatch, predictionsFrom first: Int = 0
  ) throws(ModelsError) -> PolicyEvaluation {
    let outputs = try forward(batch, tape: Tape(recording: false), predictionsFrom: first)
    return PolicyEvaluation(
      logProbabilities: outputs.logProbabilities.value, entropy: outputs.entropy.value,
      values: outputs.values?.value)
  }

  /// The logits at every position, `[batchSize, length, vocabularySize]`,
  /// without recording and without dropout.
  public func logits(_ batch: TokenBatch) throws(ModelsError) -> Tensor {
    try validate(batch, minimumLength: 1)
    let tape = Tape(recording: false)
    var none: RandomGenerator? = nil
    let hidden = trunk.hiddenStates(batch, tape: tape, dropout: &none)
    return tape.matmul(hidden, trunk.tokenEmbedding, transposeB: true).value
  }

  /// The summed next-token negative log-likelihood in nats over the
  /// predictions that `lossMask` (default `batch.predictionMask`) weights,
  /// and the sum of those weights; no recording, no dropout.
  public func negativeLogLikelihood(
    _ batch: TokenBatch, lossMask: [Float]? = nil
  ) throws(ModelsError) -> (total: Double, count: Double) {
    let mask = lossMask ?? batch.predictionMask
    let outputs = try evaluate(batch)
    guard mask.count == outputs.logProbabilities.count else {
      throw .inputShapeMismatch(
        name: "lossMask", expected: outputs.logProbabilities.shape, found: mask.count)
    }
    var total = 0.0
    for (logProbability, weight) in zip(outputs.logProbabilities.scalars, mask) {
      total -= Double(logProbability) * Double(weight)
    }
    return (total, mask.reduce(0) { $0 + Double($1) })
  }

  /// Token-level perplexity over `batches`: exp(Σ NLL / Σ predictions),
  /// counting each batch's `predictionMask`. Batches shorter than 2
  /// positions contribute nothing.
  public func perplexity(of batches: [TokenBatch]) throws(ModelsError) -> Double {
    var total = 0.0
    var count = 0.0
    for batch in batches where batch.length >= 2 {
      let (nll, predictions) = try negativeLogLikelihood(batch)
      total += nll
      count += predictions
    }
    return count > 0 ? Foundation.exp(total / count) : .nan
  }

  // MARK: - Shared steps

  /// How the output layer turns hidden states into log-probabilities and
  /// entropies; both give the same values and gradients (to rounding).
  enum OutputLayerPath {
    /// `Tape.logProbabilities(hidden:embedding:targets:)`: logits made a
    /// block at a time and never kept (the default; less memory traffic).
    case fused
    /// Logits `[batch, predictions, V]` on the tape, then log-softmax and
    /// entropy (the plain path, kept to check the fused one).
    case composed
  }

  /// Log-probabilities of `targets` and entropies of the predictions at
  /// every position of hidden states `[batch, n, d]` but the last, each
  /// `[batch, n − 1]`.
  func nextTokenPredictions(
    _ hidden: Variable, targets: [Int], tape: Tape, path: OutputLayerPath
  ) -> (logProbabilities: Variable, entropy: Variable) {
    let length = hidden.shape[1]
    let inputs = tape.slice(hidden, axis: 1, range: 0..<(length - 1))
    switch path {
    case .fused:
      return tape.logProbabilities(
        hidden: inputs, embedding: trunk.tokenEmbedding, targets: targets)
    case .composed:
      let logits = tape.matmul(inputs, trunk.tokenEmbedding, transposeB: true)
      return (tape.logProbabilities(logits, targets: targets), tape.entropy(logits))
    }
  }

  func validate(_ batch: TokenBatch, minimumLength: Int) throws(ModelsError) {
    guard batch.length >= minimumLength else {
      throw .invalidArgument(
        name: "batch length", value: "\(batch.length)", allowed: "at least \(minimumLength)")
    }
    try batch.validate(
      vocabularySize: configuration.vocabularySize, contextLength: configuration.contextLength)
  }
}

extension TokenBatch {
  /// The token after each prediction from `first` on,
  /// `[batchSize, length − 1 − first]` flat.
  func targets(from first: Int) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(batchSize * max(0, length - 1 - first))
    for row in 0..<batchSize {
      result += tokens[(row * length + 1 + first)..<((row + 1) * length)]
    }
    return result
  }
}
