/// How well a classifier (the reward model or the judge) separates two
/// classes of held-out labeled texts.
///
/// Scores are any real numbers that grow with the belief in class 1 (here
/// the margin of the reward class's logit over the other classes'); labels
/// are 0 or 1, one per score, in the same order.
extension EvaluationMetrics {
  /// The fraction of texts whose label the score predicts: class 1 when the
  /// score is above 0, else class 0 (a tie between the logits predicts 0).
  ///
  /// - Parameters:
  ///   - scores: one score per text, `[N]`.
  ///   - labels: 0 or 1 per text, `[N]`.
  /// - Returns: a fraction in [0, 1], exact up to the division.
  /// - Throws: `RLHFError.emptyInput`, `.nonFiniteInput`, `.shapeMismatch`
  ///   or `.invalidParameter` for a label other than 0 or 1.
  public static func accuracy(scores: [Double], labels: [Int]) throws -> Double {
    try checkedBinary(scores: scores, labels: labels)
    let correct = zip(scores, labels).filter { ($0 > 0 ? 1 : 0) == $1 }.count
    return Double(correct) / Double(scores.count)
  }

  /// The area under the ROC curve: the Mann–Whitney statistic U divided by
  /// n₁n₀, the probability that a text of class 1 scores above a text of
  /// class 0, a tie counting 1/2.
  ///
  /// Computed from mid-ranks (tied scores share the mean of their ranks),
  /// which counts each tied pair 1/2: O(N log N). Exact up to the rounding
  /// of sums of ranks, which are integers or halves below 2⁵³.
  ///
  /// - Parameters:
  ///   - scores: one score per text, `[N]`.
  ///   - labels: 0 or 1 per text, `[N]`; both classes must occur.
  /// - Returns: a value in [0, 1]; 0.5 for scores that do not separate.
  /// - Throws: as `accuracy`, and `RLHFError.emptyInput` when a class is
  ///   missing (the AUC is then undefined).
  public static func rocAUC(scores: [Double], labels: [Int]) throws -> Double {
    try checkedBinary(scores: scores, labels: labels)
    let positives = labels.filter { $0 == 1 }.count
    let negatives = labels.count - positives
    guard positives > 0 else { throw RLHFError.emptyInput(name: "texts of class 1") }
    guard negatives > 0 else { throw RLHFError.emptyInput(name: "texts of class 0") }
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var positiveRanks = 0.0
    var start = 0
    while start < order.count {
      var end = start + 1
      while end < order.count, scores[order[end]] == scores[order[start]] { end += 1 }
      // Ranks start + 1 … end share their mean.
      let midRank = Double(start + 1 + end) / 2
      for position in start..<end where labels[order[position]] == 1 {
        positiveRanks += midRank
      }
      start = end
    }
    let count = Double(positives)
    let u = positiveRanks - count * (count + 1) / 2
    return u / (count * Double(negatives))
  }

  static func checkedBinary(scores: [Double], labels: [Int]) throws {
    try checked(scores, "classifier scores")
    guard labels.count == scores.count else {
      throw RLHFError.shapeMismatch(
        name: "classifier labels", expected: scores.count, got: labels.count)
    }
    if let bad = labels.first(where: { $0 != 0 && $0 != 1 }) {
      throw RLHFError.invalidParameter(
        name: "classifier label", value: Double(bad), allowed: "0 or 1")
    }
  }
}
