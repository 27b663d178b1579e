import YAML

/// Rules across keys that single-key domains cannot express.
extension RunConfiguration {
  /// Checks the rules across keys.
  ///
  /// - d (`model.d_model`) divisible by H (`model.heads`);
  /// - `model.context` ≥ P + `data.new_tokens`;
  /// - V = 50257 with the GPT-2 tokenizer;
  /// - B divisible by `ppo.mini_batch_size`;
  /// - at least B training prompts, so that M = ⌊prompts / B⌋ ≥ 1;
  /// - `ppo.iterations`, when set, at most M (it caps one pass);
  /// - for RA-RLHF, ⌈αB⌉ ≥ 1 (the tail keeps an episode) and n < ⌈ρM⌉
  ///   (the warm start ends before the schedule).
  ///
  /// Without `availablePrompts`, ⌊`data.train_prompts` / B⌋ bounds M from
  /// above, which is enough to prove the rules on M broken; with neither,
  /// those rules wait until the prompt count is known.
  ///
  /// - Parameter availablePrompts: training prompts of the task.
  /// - Throws: `ConfigurationError.impossible` naming the keys, the rule and
  ///   the values.
  public func validate(availablePrompts: Int? = nil) throws(ConfigurationError) {
    try validate(availablePrompts: availablePrompts, marks: [:])
  }

  func validate(
    availablePrompts: Int?, marks: [String: YAMLMark]
  ) throws(ConfigurationError) {
    func fail(_ keys: [String], _ rule: String, _ got: String)
      -> ConfigurationError
    {
      .impossible(
        keys: keys, rule: rule, got: got,
        at: keys.lazy.compactMap { marks[$0] }.first)
    }
    if model.dModel % model.heads != 0 {
      throw fail(
        ["model.heads", "model.d_model"], "d divisible by H",
        "d = \(model.dModel), H = \(model.heads)")
    }
    if model.context < data.promptTokens + data.newTokens {
      throw fail(
        ["model.context", "data.prompt_tokens", "data.new_tokens"],
        "context ≥ P + new tokens",
        "context = \(model.context), P + new tokens = \(data.promptTokens) + "
          + "\(data.newTokens) = \(data.promptTokens + data.newTokens)")
    }
    if model.tokenizer == .gpt2, model.vocabSize != 50257 {
      throw fail(
        ["model.vocab_size", "model.tokenizer"],
        "V = 50257 with tokenizer gpt2",
        "V = \(model.vocabSize)")
    }
    if ppo.batchSize % ppo.miniBatchSize != 0 {
      throw fail(
        ["ppo.mini_batch_size", "ppo.batch_size"],
        "B divisible by the mini-batch size",
        "B = \(ppo.batchSize), mini-batch size = \(ppo.miniBatchSize)")
    }
    let prompts =
      availablePrompts.map { trainingPromptCount(available: $0) } ?? data.trainPrompts
    let known = availablePrompts.map { " (the task has \($0))" } ?? ""
    if let prompts, prompts < ppo.batchSize {
      throw fail(
        ["data.train_prompts", "ppo.batch_size"],
        "at least B training prompts for one iteration",
        "\(prompts) prompts\(known), B = \(ppo.batchSize)")
    }
    // M, or with only data.train_prompts an upper bound of it.
    let pass = prompts.map { $0 / ppo.batchSize }
    if let cap = ppo.iterations, let pass, let prompts, cap > pass {
      throw fail(
        ["ppo.iterations", "data.train_prompts", "ppo.batch_size"],
        "ppo.iterations ≤ M = ⌊prompts / B⌋ (a cap on one pass)",
        "ppo.iterations = \(cap), M = ⌊\(prompts) / \(ppo.batchSize)⌋ = \(pass)\(known)")
    }
    try validateSchedule(iterations: pass, fail: fail)
  }

  private func validateSchedule(
    iterations: Int?, fail: ([String], String, String) -> ConfigurationError
  ) throws(ConfigurationError) {
    guard algorithm == .raRLHF else { return }
    let kept = risk.finalKeptCount(batchSize: ppo.batchSize)
    if kept < 1 {
      throw fail(
        ["risk.alpha", "ppo.batch_size"],
        "⌈αB⌉ ≥ 1 (the tail keeps at least one episode)",
        "α = \(ConfigurationValue.format(risk.alpha)), B = \(ppo.batchSize), ⌈αB⌉ = \(kept)")
    }
    guard let iterations else { return }
    let end = risk.scheduleEnd(iterations: iterations)
    if risk.warmStart >= end {
      let rho = ConfigurationValue.format(risk.rho)
      throw fail(
        ["risk.warm_start", "risk.rho", "data.train_prompts", "ppo.batch_size"],
        "n < ⌈ρM⌉ (M = \(iterations) iterations)",
        "n = \(risk.warmStart), ⌈ρM⌉ = ⌈\(rho) × \(iterations)⌉ = \(end)")
    }
  }
}
