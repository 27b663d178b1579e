import YAML

/// Rules across keys that single-key domains cannot express.
extension RunConfiguration {
  /// Checks the rules across keys.
  ///
  /// - d (`model.d_model`) divisible by H (`model.heads`);
  /// - `model.context` ≥ P + `data.new_tokens`;
  /// - V = 50257 with the GPT-2 tokenizer;
  /// - B divisible by `ppo.mini_batch_size`;
  /// - at least B training prompts, so that M ≥ 1;
  /// - for RA-RLHF, n < ⌈ρM⌉ (the warm start ends before the schedule).
  ///   Without `availablePrompts`, M is `ppo.iterations` if set, else
  ///   ⌊`data.train_prompts` / B⌋ (an upper bound), else unknown.
  ///
  /// ⌈αB⌉ ≥ 1 needs no rule: α > 0 and B ≥ 1 by their domains.
  ///
  /// - Parameter availablePrompts: training prompts of the task; without it
  ///   the rules that need M are checked only when `ppo.iterations` is set.
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
    if ppo.iterations == nil {
      let prompts =
        availablePrompts.map { trainingPromptCount(available: $0) }
        ?? data.trainPrompts
      if let prompts, prompts < ppo.batchSize {
        let known = availablePrompts.map { " (the task has \($0))" } ?? ""
        throw fail(
          ["data.train_prompts", "ppo.batch_size"],
          "at least B training prompts for one iteration",
          "\(prompts) prompts\(known), B = \(ppo.batchSize)")
      }
    }
    try validateSchedule(availablePrompts: availablePrompts, fail: fail)
  }

  private func validateSchedule(
    availablePrompts: Int?,
    fail: ([String], String, String) -> ConfigurationError
  ) throws(ConfigurationError) {
    guard algorithm == .raRLHF else { return }
    // Without the prompt count, data.train_prompts / B bounds M from above,
    // which is enough to prove the rule broken.
    let iterations =
      ppo.iterations ?? availablePrompts.map {
        self.iterations(availablePrompts: $0)
      }
      ?? data.trainPrompts.map { $0 / ppo.batchSize }
    guard let iterations else { return }
    let end = risk.scheduleEnd(iterations: iterations)
    if risk.warmStart >= end {
      let rho = ConfigurationValue.format(risk.rho)
      throw fail(
        ["risk.warm_start", "risk.rho", "ppo.iterations"],
        "n < ⌈ρM⌉ (M = \(iterations) iterations)",
        "n = \(risk.warmStart), ⌈ρM⌉ = ⌈\(rho) × \(iterations)⌉ = \(end)")
    }
  }
}
