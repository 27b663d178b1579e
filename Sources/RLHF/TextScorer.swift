/// A language model that gives the log-probability of each token of a text,
/// for perplexity.
public protocol TextScorer: AnyObject {
  /// Per text, log p of every predicted token (nats), in order.
  func tokenLogProbs(texts: [[Int]]) throws -> [[Double]]
}
