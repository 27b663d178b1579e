import Configuration
import Models
import Tensors

/// The language-model stages: training the base model on the task corpus
/// and supervised fine-tuning (SFT) on the preferred texts (paper Sec. 5:
/// IMDB SFT on positive reviews, Jigsaw on non-toxic comments), both by
/// next-token cross-entropy with Adam and dropout on.
///
/// Each epoch visits every text once in an order drawn from the seed; texts
/// are cut to their first `sequenceLength` tokens (the paper's SFT uses 64)
/// and batched with left padding. The last partial batch is trained on too.
public struct LanguageModelTrainer: Sendable {
  /// Epochs, learning rate and batch size (`base.*` or `sft.*`).
  public var settings: TrainingSettings
  /// Tokens kept from the start of each text; ≥ 2.
  public var sequenceLength: Int
  /// The token used for left padding.
  public var padToken: Int
  /// Seed of the shuffles and dropout.
  public var seed: UInt64

  /// Makes a trainer.
  public init(settings: TrainingSettings, sequenceLength: Int, padToken: Int, seed: UInt64) {
    self.settings = settings
    self.sequenceLength = sequenceLength
    self.padToken = padToken
    self.seed = seed
  }

  /// Trains `model` in place and returns the mean loss of each epoch (nats
  /// per token, averaged over steps).
  ///
  /// - Parameters:
  ///   - model: the network, updated in place.
  ///   - texts: token ids of each text; texts shorter than 2 tokens are
  ///     skipped (nothing to predict).
  ///   - progress: called about every tenth of an epoch and at its end.
  /// - Throws: `RLHFError.invalidParameter` for bad settings,
  ///   `.emptyInput` when no text is long enough, `.nonFinite` naming the
  ///   step for a NaN or infinite loss; model errors pass through.
  public func train(
    _ model: GPT, on texts: [[Int]], progress: ((StageProgress) -> Void)? = nil
  ) throws -> [Double] {
    try StageChecks.validate(settings, name: "language model")
    guard sequenceLength >= 2 else {
      throw RLHFError.invalidParameter(
        name: "sequence length", value: Double(sequenceLength), allowed: "at least 2")
    }
    let usable = texts.filter { $0.count >= 2 }.map { Array($0.prefix(sequenceLength)) }
    guard !usable.isEmpty else {
      throw RLHFError.emptyInput(name: "training texts of at least 2 tokens")
    }

    let optimizer = AdamW(
      parameters: model.parameters, learningRate: Float(settings.learningRate))
    let root = RandomGenerator(seed: seed).derived("language-model")
    var dropout: RandomGenerator? = root.derived("dropout")
    var losses: [Double] = []
    var step = 0
    for epoch in 0..<settings.epochs {
      var shuffle = root.derived("shuffle").derived(epoch)
      let order = Array(usable.indices).shuffled(using: &shuffle)
      var total = 0.0
      var steps = 0
      let starts = Array(stride(from: 0, to: order.count, by: settings.batchSize))
      for start in starts {
        let rows = order[start..<min(start + settings.batchSize, order.count)].map { usable[$0] }
        let loss = try model.languageModelTrainingStep(
          TokenBatch.leftPadded(rows, padToken: padToken), optimizer: optimizer,
          dropout: &dropout)
        try NonFiniteGuard.check(Double(loss), "language-model loss", iteration: step)
        total += Double(loss)
        steps += 1
        step += 1
        if StageProgress.isReported(step: steps, of: starts.count) {
          progress?(
            StageProgress(
              epoch: epoch, epochs: settings.epochs, step: steps, steps: starts.count,
              meanLoss: total / Double(steps)))
        }
      }
      losses.append(total / Double(steps))
    }
    return losses
  }
}
