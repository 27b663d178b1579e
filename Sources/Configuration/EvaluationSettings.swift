/// Evaluation after training (`eval.*`); the prompt count and the tail
/// threshold are in `DataSettings`.
public struct EvaluationSettings: Sendable, Equatable {
  /// `eval.batch_size`: prompts sampled together; the last partial batch is
  /// evaluated too.
  public var batchSize: Int
  /// `eval.perplexity_texts`: human texts scored for perplexity, or nil for
  /// all of them.
  public var perplexityTexts: Int?
  /// `eval.perplexity_chars`: characters kept from each perplexity text
  /// (1,000 IMDB, 500 Jigsaw in the paper).
  public var perplexityCharacters: Int
  /// `eval.seed`: seed of the evaluation prompt sample and of sampling
  /// (0, as the paper's IMDB test sample).
  public var seed: Int

  /// `eval.tail_quantile`: when above 0, the tail of the evaluation set is
  /// this fraction of prompts with the lowest own score, which holds on
  /// any reward scale; 0 uses the absolute `data.tail_threshold`, which is
  /// on the paper's DistilBERT/BERT logit scale.
  public var tailQuantile: Double
  /// Settings with every field given.
  public init(
    batchSize: Int, perplexityTexts: Int?, perplexityCharacters: Int, seed: Int,
    tailQuantile: Double = 0
  ) {
    self.tailQuantile = tailQuantile
    self.batchSize = batchSize
    self.perplexityTexts = perplexityTexts
    self.perplexityCharacters = perplexityCharacters
    self.seed = seed
  }
}
