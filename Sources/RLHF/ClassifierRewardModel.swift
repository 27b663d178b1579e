import Models

/// A trained classifier used as the reward model R(x, y) or the judge: the
/// raw logit of one class on prompt + response, times a sign.
///
/// The paper's rewards: IMDB, the positive-class logit (class 1, sign +1);
/// Jigsaw and RealToxicityPrompts, minus the toxic-class logit (sign −1).
/// An empty response scores the prompt alone (the prompt's own score).
public final class ClassifierRewardModel: RewardScorer {
  /// The network.
  public let classifier: SequenceClassifier
  /// The class whose logit is the reward, in `0..<classCount`.
  public let classIndex: Int
  /// +1 or −1.
  public let sign: Double
  /// The token used for left padding.
  public let padToken: Int
  /// Sequences scored per forward pass; ≥ 1.
  public let batchSize: Int

  /// Wraps `classifier`.
  ///
  /// - Throws: `RLHFError.invalidParameter` for a class outside the
  ///   classifier's classes, a sign other than ±1 or a batch size below 1.
  public init(
    classifier: SequenceClassifier, classIndex: Int, sign: Double, padToken: Int,
    batchSize: Int = 64
  ) throws {
    guard classIndex >= 0, classIndex < classifier.classCount else {
      throw RLHFError.invalidParameter(
        name: "reward class", value: Double(classIndex),
        allowed: "in 0..<\(classifier.classCount)")
    }
    guard sign == 1 || sign == -1 else {
      throw RLHFError.invalidParameter(name: "reward sign", value: sign, allowed: "+1 or −1")
    }
    guard batchSize >= 1 else {
      throw RLHFError.invalidParameter(
        name: "scoring batch size", value: Double(batchSize), allowed: "at least 1")
    }
    self.classifier = classifier
    self.classIndex = classIndex
    self.sign = sign
    self.padToken = padToken
    self.batchSize = batchSize
  }

  /// sign · logit[classIndex] of each prompt + response.
  public func scores(prompts: [[Int]], responses: [[Int]]) throws -> [Double] {
    guard prompts.count == responses.count else {
      throw RLHFError.shapeMismatch(
        name: "responses", expected: prompts.count, got: responses.count)
    }
    let logits = try classifier.scores(
      zip(prompts, responses).map { $0 + $1 }, padToken: padToken, batchSize: batchSize)
    return logits.map { sign * Double($0[classIndex]) }
  }
}
