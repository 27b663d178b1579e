import TextData

extension RunConfiguration {
  /// The settings of the task's sets for this run: `data.prompt_tokens`,
  /// `data.eval_prompts` (the paper's count when unset) and
  /// `eval.perplexity_chars`, with seed 0 whatever the run's seed, as the
  /// paper's test sample: every seed trains and evaluates on the same
  /// prompts.
  public var taskDataSettings: TaskDataSettings {
    TaskDataSettings(
      promptTokens: data.promptTokens, seed: 0,
      evaluationCount: data.evalPrompts ?? TaskDataSettings.paper(task).evaluationCount,
      perplexityCharacters: eval.perplexityCharacters)
  }
}
