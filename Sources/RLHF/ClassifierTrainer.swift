import Configuration
import Models
import Tensors

/// The classifier stages: the reward model and the held-out judge, GPT-2
/// trunks with a score head trained by cross-entropy on labelled texts
/// (stand-ins for the paper's DistilBERT sentiment and BERT toxicity
/// classifiers, which this project cannot download).
///
/// Each epoch visits every example once in an order drawn from the seed,
/// texts cut to their first `sequenceLength` tokens, batches left-padded,
/// the last partial batch included.
public struct ClassifierTrainer: Sendable {
  /// Epochs, learning rate and batch size (`reward.*`).
  public var settings: TrainingSettings
  /// Tokens kept from the start of each text; ≥ 1.
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

  /// Trains `classifier` in place and returns the mean loss of each epoch.
  ///
  /// - Parameters:
  ///   - classifier: the network, updated in place.
  ///   - texts: token ids of each example; each non-empty.
  ///   - labels: class of each example, `[texts.count]`, in
  ///     `0..<classifier.classCount`.
  ///   - progress: called about every tenth of an epoch and at its end.
  /// - Throws: `RLHFError` for bad settings, sizes, empty texts or a
  ///   non-finite loss; model errors (a label out of range) pass through.
  public func train(
    _ classifier: SequenceClassifier, on texts: [[Int]], labels: [Int],
    progress: ((StageProgress) -> Void)? = nil
  ) throws -> [Double] {
    try StageChecks.validate(settings, name: "classifier")
    guard sequenceLength >= 1 else {
      throw RLHFError.invalidParameter(
        name: "sequence length", value: Double(sequenceLength), allowed: "at least 1")
    }
    guard labels.count == texts.count else {
      throw RLHFError.shapeMismatch(name: "labels", expected: texts.count, got: labels.count)
    }
    guard !texts.isEmpty else { throw RLHFError.emptyInput(name: "classifier texts") }
    for (index, text) in texts.enumerated() where text.isEmpty {
      throw RLHFError.emptyInput(name: "classifier text \(index)")
    }
    let cut = texts.map { Array($0.prefix(sequenceLength)) }

    let optimizer = AdamW(
      parameters: classifier.parameters, learningRate: Float(settings.learningRate))
    let root = RandomGenerator(seed: seed).derived("classifier")
    var dropout: RandomGenerator? = root.derived("dropout")
    var losses: [Double] = []
    var step = 0
    for epoch in 0..<settings.epochs {
      var shuffle = root.derived("shuffle").derived(epoch)
      let order = Array(cut.indices).shuffled(using: &shuffle)
      var total = 0.0
      var steps = 0
      let starts = Array(stride(from: 0, to: order.count, by: settings.batchSize))
      for start in starts {
        let rows = Array(order[start..<min(start + settings.batchSize, order.count)])
        let loss = try classifier.trainingStep(
          TokenBatch.leftPadded(rows.map { cut[$0] }, padToken: padToken),
          labels: rows.map { labels[$0] }, optimizer: optimizer, dropout: &dropout)
        try NonFiniteGuard.check(Double(loss), "classifier loss", iteration: step)
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
