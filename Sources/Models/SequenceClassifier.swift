import Foundation
import Tensors

/// A GPT-2 trunk with a linear head on the hidden state of each sequence's
/// last real token (Hugging Face's `GPT2ForSequenceClassification`:
/// `score.weight` `[classCount, dModel]`, no bias), for reward models and
/// judges; its raw logits are the scores.
public final class SequenceClassifier {
  /// The trunk's dimensions.
  public let configuration: GPTConfiguration
  /// The number of classes, ≥ 1 (1 gives a scalar score).
  public let classCount: Int
  /// Embeddings, blocks and final layer norm.
  public let trunk: GPTTrunk
  /// `score.weight`, `[classCount, dModel]` (PyTorch `Linear` layout).
  public let scoreWeight: Parameter

  /// A classifier with Hugging Face's GPT-2 initialisation drawn from
  /// `generator` (the head N(0, 0.02²)).
  ///
  /// - Throws: `ModelsError.invalidConfiguration` for a configuration out of
  ///   range or `classCount < 1`.
  public init(
    configuration: GPTConfiguration, classCount: Int, generator: inout RandomGenerator
  ) throws(ModelsError) {
    guard classCount >= 1 else {
      throw .invalidConfiguration(
        field: "classCount", value: "\(classCount)", allowed: "at least 1")
    }
    trunk = try GPTTrunk(configuration: configuration, generator: &generator)
    self.configuration = configuration
    self.classCount = classCount
    scoreWeight = Parameter(
      GPT2Layout.classifierWeight,
      .randomNormal(
        [classCount, configuration.dModel], standardDeviation: 0.02, using: &generator))
  }

  /// Every parameter: the trunk's, then `score.weight`.
  public var parameters: [Parameter] { trunk.parameters + [scoreWeight] }

  // MARK: - Forward

  /// Class logits `[batchSize, classCount]` from each sequence's last real
  /// token, recorded on `tape`, with dropout from `dropout` (`nil` for
  /// none).
  ///
  /// - Throws: `ModelsError.tokenOutOfRange`, `.sequenceTooLong` or
  ///   `.invalidArgument` for a batch that does not fit.
  public func logits(
    _ batch: TokenBatch, tape: Tape, dropout: inout RandomGenerator?
  ) throws(ModelsError) -> Variable {
    guard batch.length >= 1 else {
      throw .invalidArgument(name: "batch length", value: "0", allowed: "at least 1")
    }
    try batch.validate(
      vocabularySize: configuration.vocabularySize, contextLength: configuration.contextLength)
    let hidden = trunk.hiddenStates(batch, tape: tape, dropout: &dropout)
    let last = batch.lastRealPositions.enumerated().map { row, position in
      row * batch.length + position
    }
    let features = trunk.drop(tape.selectRows(hidden, indices: last), tape: tape, &dropout)
    return tape.matmul(features, scoreWeight, transposeB: true)
  }

  /// The mean cross-entropy of `labels` under the class logits, a rank-0
  /// node on `tape`.
  ///
  /// - Parameter labels: `[batchSize]`, each in `0..<classCount`.
  /// - Throws: `ModelsError.labelOutOfRange` or `.inputShapeMismatch`, and
  ///   as `logits(_:tape:dropout:)`.
  public func loss(
    _ batch: TokenBatch, labels: [Int], tape: Tape, dropout: inout RandomGenerator?
  ) throws(ModelsError) -> Variable {
    guard labels.count == batch.batchSize else {
      throw .inputShapeMismatch(name: "labels", expected: [batch.batchSize], found: labels.count)
    }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classCount }) {
      throw .labelOutOfRange(label: bad, classCount: classCount)
    }
    let logits = try logits(batch, tape: tape, dropout: &dropout)
    return tape.negate(tape.mean(tape.logProbabilities(logits, targets: labels)))
  }

  /// One optimiser step on the cross-entropy: clears gradients, runs the
  /// forward and backward passes and applies `optimizer`. Returns the loss
  /// before the step.
  public func trainingStep(
    _ batch: TokenBatch, labels: [Int], optimizer: AdamW, dropout: inout RandomGenerator?
  ) throws(ModelsError) -> Float {
    optimizer.zeroGradients()
    let loss = try accumulateGradients(batch, labels: labels, dropout: &dropout)
    // The tape is released: its records would make the in-place update
    // copy every weight.
    optimizer.step()
    return loss
  }

  /// The forward and backward passes of `trainingStep` on a tape released
  /// on return; returns the loss.
  private func accumulateGradients(
    _ batch: TokenBatch, labels: [Int], dropout: inout RandomGenerator?
  ) throws(ModelsError) -> Float {
    let tape = Tape()
    let loss = try loss(batch, labels: labels, tape: tape, dropout: &dropout)
    tape.backward(from: loss)
    return loss.value.scalar
  }

  // MARK: - Scoring

  /// Raw class logits `[batchSize, classCount]`, without recording and
  /// without dropout.
  public func scores(_ batch: TokenBatch) throws(ModelsError) -> Tensor {
    var none: RandomGenerator? = nil
    return try logits(batch, tape: Tape(recording: false), dropout: &none).value
  }

  /// Raw class logits of each sequence, `[sequences.count][classCount]`,
  /// computed `batchSize` sequences at a time, each group left-padded with
  /// `padToken`.
  ///
  /// - Precondition: `batchSize ≥ 1`.
  public func scores(
    _ sequences: [[Int]], padToken: Int, batchSize: Int
  ) throws(ModelsError) -> [[Float]] {
    precondition(batchSize >= 1, "batchSize must be at least 1")
    var result: [[Float]] = []
    result.reserveCapacity(sequences.count)
    for start in stride(from: 0, to: sequences.count, by: batchSize) {
      let group = Array(sequences[start..<min(start + batchSize, sequences.count)])
      let logits = try scores(TokenBatch.leftPadded(group, padToken: padToken))
      for row in 0..<group.count {
        result.append(Array(logits.scalars[(row * classCount)..<((row + 1) * classCount)]))
      }
    }
    return result
  }

  // MARK: - Checkpoints

  /// Writes the classifier as a safetensors checkpoint with Hugging Face's
  /// names (`transformer.…`, `score.weight`).
  ///
  /// - Throws: `ModelsError.unreadableFile` when the file cannot be written.
  public func save(to url: URL) throws(ModelsError) {
    try Checkpoint.save(parameters, configuration: configuration, to: url)
  }

  /// A classifier read from a safetensors checkpoint; the class count comes
  /// from `score.weight`'s shape and the configuration from the file's
  /// metadata unless given.
  ///
  /// - Throws: `ModelsError.missingTensor`, `.unexpectedTensor`,
  ///   `.shapeMismatch` naming the tensor, reading errors naming the file,
  ///   `.invalidConfiguration` when no configuration is known.
  public static func load(
    from url: URL, configuration: GPTConfiguration? = nil
  ) throws(ModelsError) -> SequenceClassifier {
    let stored = configuration == nil ? try Checkpoint.configuration(storedIn: url) : nil
    guard let configuration = configuration ?? stored else {
      throw .invalidConfiguration(
        field: "configuration", value: "absent from \(url.path)",
        allowed: "given explicitly for checkpoints written by other tools")
    }
    guard let head = try SafeTensors.shapes(contentsOf: url)[GPT2Layout.classifierWeight],
      head.count == 2
    else {
      throw .missingTensor(
        path: url.path, tensor: GPT2Layout.classifierWeight,
        expectedShape: [-1, configuration.dModel])
    }
    var unused = RandomGenerator(seed: 0)
    let classifier = try SequenceClassifier(
      configuration: configuration, classCount: head[0], generator: &unused)
    try classifier.loadWeights(from: url)
    return classifier
  }

  /// Replaces the weights with those of the checkpoint at `url`. A file
  /// without `score.weight` (a language model's checkpoint, as when a
  /// reward model starts from the base model) keeps the current head, and a
  /// value head in the file is skipped. Nothing changes unless the whole
  /// file matches.
  ///
  /// - Returns: the names that were missing from the file and kept.
  /// - Throws: as `load(from:configuration:)`.
  @discardableResult
  public func loadWeights(from url: URL) throws(ModelsError) -> [String] {
    try Checkpoint.load(
      into: parameters, from: url, optional: [GPT2Layout.classifierWeight],
      ignoring: [GPT2Layout.valueHeadWeight, GPT2Layout.valueHeadBias])
  }
}
