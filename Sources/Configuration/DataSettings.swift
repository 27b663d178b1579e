/// Prompts, completions, corpora and evaluation sets (`data.*`).
public struct DataSettings: Sendable, Equatable {
  /// `data.prompt_tokens`, P: tokens of each prompt (64 IMDB, 8 Jigsaw,
  /// 32 RealToxicityPrompts in the paper).
  public var promptTokens: Int
  /// `data.new_tokens`: tokens sampled after each prompt (48, 32, 32).
  public var newTokens: Int
  /// `data.train_prompts`: training prompts used, or nil for all of them.
  public var trainPrompts: Int?
  /// `data.eval_prompts`: test prompts evaluated, or nil for all (the paper
  /// samples 5,000 IMDB test reviews with seed 0).
  public var evalPrompts: Int?
  /// `data.corpus_texts`: texts that train the tokenizer, base model, SFT
  /// model and reward model, or nil for all.
  public var corpusTexts: Int?
  /// `data.tail_threshold`: prompts whose own score is at most this form the
  /// tail of the evaluation set (−2.5 IMDB, +5 Jigsaw).
  public var tailThreshold: Double

  /// Settings with every field given.
  public init(
    promptTokens: Int, newTokens: Int, trainPrompts: Int?, evalPrompts: Int?,
    corpusTexts: Int?, tailThreshold: Double
  ) {
    self.promptTokens = promptTokens
    self.newTokens = newTokens
    self.trainPrompts = trainPrompts
    self.evalPrompts = evalPrompts
    self.corpusTexts = corpusTexts
    self.tailThreshold = tailThreshold
  }
}
