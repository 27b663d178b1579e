/// The registry of every configuration key, in the order `--help` lists
/// them. Defaults live in the presets (`RunConfiguration+Presets.swift`).
extension ConfigurationKey {
  /// Every key, in documentation order: the run's identity (`task`,
  /// `algorithm`, `preset`, `seed`), then `model.*`, `data.*`, `base.*`,
  /// `sft.*`, `reward.*`, `ppo.*`, `risk.*`, `eval.*`.
  public static let all: [ConfigurationKey] =
    runKeys + modelKeys + dataKeys
    + stageKeys(
      "base", \.base.epochs, \.base.learningRate, \.base.batchSize,
      "the base language model, trained on the task's texts")
    + stageKeys(
      "sft", \.sft.epochs, \.sft.learningRate, \.sft.batchSize,
      "the SFT model (positive or non-toxic texts)")
    + stageKeys(
      "reward", \.reward.epochs, \.reward.learningRate, \.reward.batchSize,
      "the reward and judge classifiers")
    + ppoKeys + riskKeys + evalKeys

  private static let atLeastOne = ConfigurationDomain.integer(
    min: 1, max: Int.max)
  private static let atLeastZero = ConfigurationDomain.integer(
    min: 0, max: Int.max)

  private static let runKeys: [ConfigurationKey] = [
    choice(
      "task", \.task, nil, "benchmark: prompts, reward model, evaluation sets"),
    choice(
      "algorithm", \.algorithm, nil,
      "rlhf (PPO on every episode) or ra-rlhf (CVaR)"),
    choice(
      "preset", \.preset, nil,
      "defaults for every other key, scaled to a time budget"),
    integer(
      "seed", \.seed, .integer(min: 0, max: Int(UInt32.max)), nil,
      "drives every random source of the run (initialisation, sampling, shuffles)"
    ),
  ]

  private static let modelKeys: [ConfigurationKey] = [
    choice(
      "model.tokenizer", \.model.tokenizer, nil,
      "gpt2 (GPT-2's BPE) or bpe (trained)"),
    integer(
      "model.vocab_size", \.model.vocabSize, .integer(min: 257, max: 1 << 20),
      "V",
      "vocabulary size: 50257 for gpt2, the trained size for bpe"),
    integer(
      "model.d_model", \.model.dModel, .integer(min: 8, max: 8192), "d",
      "width of the residual stream"),
    integer(
      "model.layers", \.model.layers, .integer(min: 1, max: 96), "L",
      "transformer blocks"),
    integer(
      "model.heads", \.model.heads, .integer(min: 1, max: 128), "H",
      "attention heads per block; divides d"),
    integer(
      "model.context", \.model.context, .integer(min: 2, max: 8192), nil,
      "longest sequence in tokens; at least P + new tokens"),
  ]

  private static let dataKeys: [ConfigurationKey] = [
    integer(
      "data.prompt_tokens", \.data.promptTokens, .integer(min: 1, max: 8192),
      "P",
      "tokens per prompt (paper: 64 IMDB, 8 Jigsaw, 32 RealToxicityPrompts)"),
    integer(
      "data.new_tokens", \.data.newTokens, .integer(min: 1, max: 8192), nil,
      "tokens sampled per completion (paper: 48, 32, 32)"),
    count(
      "data.train_prompts", \.data.trainPrompts, none: "all", nil,
      "training prompts used; all = every prompt of the task"),
    count(
      "data.eval_prompts", \.data.evalPrompts, none: "all", nil,
      "test prompts evaluated (paper: 5000 IMDB reviews, seed 0)"),
    count(
      "data.corpus_texts", \.data.corpusTexts, none: "all", nil,
      "texts for the tokenizer, base, SFT and reward training"),
    real(
      "data.tail_threshold", \.data.tailThreshold, .finite, nil,
      "tail prompts: own score at most this (paper: -2.5 IMDB, 5 Jigsaw)"),
  ]

  private static func stageKeys(
    _ stage: String,
    _ epochs: WritableKeyPath<RunConfiguration, Int> & Sendable,
    _ learningRate: WritableKeyPath<RunConfiguration, Double> & Sendable,
    _ batchSize: WritableKeyPath<RunConfiguration, Int> & Sendable,
    _ what: String
  ) -> [ConfigurationKey] {
    [
      integer(
        "\(stage).epochs", epochs, atLeastZero, nil,
        "passes over the texts of \(what); 0 skips training"),
      real(
        "\(stage).learning_rate", learningRate, .unitOpenClosed, nil,
        "Adam learning rate of \(what)"),
      integer(
        "\(stage).batch_size", batchSize, atLeastOne, nil,
        "sequences per step for \(what)"),
    ]
  }

  private static let ppoKeys: [ConfigurationKey] = [
    integer(
      "ppo.batch_size", \.ppo.batchSize, atLeastOne, "B",
      "episodes per iteration (paper: 128)"),
    integer(
      "ppo.mini_batch_size", \.ppo.miniBatchSize, atLeastOne, nil,
      "episodes per gradient step; divides B (paper: 128)"),
    integer(
      "ppo.ppo_epochs", \.ppo.ppoEpochs, .integer(min: 1, max: 1000), nil,
      "optimisation passes over each batch (paper: 4)"),
    real(
      "ppo.learning_rate", \.ppo.learningRate, .unitOpenClosed, nil,
      "Adam learning rate of policy and value head (paper: 1.41e-5)"),
    real("ppo.gamma", \.ppo.gamma, .unit, "γ", "discount (paper: 1)"),
    real("ppo.lam", \.ppo.lam, .unit, "λ", "GAE parameter (paper: 0.95)"),
    real(
      "ppo.cliprange", \.ppo.clipRange, .positive, "ε",
      "policy ratio clip (paper: 0.2)"),
    real(
      "ppo.cliprange_value", \.ppo.clipRangeValue, .positive, nil,
      "value prediction clip (paper: 0.2)"),
    real(
      "ppo.vf_coef", \.ppo.vfCoef, .nonNegative, nil,
      "value loss weight (paper: 0.1)"),
    real(
      "ppo.init_kl_coef", \.ppo.initKLCoef, .nonNegative, "β₀",
      "initial KL coefficient (paper: 0.2)"),
    flag(
      "ppo.adap_kl_ctrl", \.ppo.adaptiveKLControl, nil,
      "adapt β towards the KL target (paper: true)"),
    real(
      "ppo.target", \.ppo.target, .positive, nil, "KL target in nats (paper: 6)"
    ),
    integer(
      "ppo.horizon", \.ppo.horizon, atLeastOne, nil,
      "KL controller horizon in episodes (paper: 10000)"),
    count(
      "ppo.iterations", \.ppo.iterations, none: "auto", nil,
      "stop after this many iterations, at most M = ⌊prompts/B⌋; auto = all M"),
    integer(
      "ppo.top_k", \.ppo.topK, .integer(min: 0, max: 1 << 20), nil,
      "sample from the k likeliest tokens; 0 = off (paper: 0)"),
    real(
      "ppo.top_p", \.ppo.topP, .unitOpenClosed, nil,
      "nucleus sampling mass; 1 = off (paper: 1.0)"),
    integer(
      "ppo.checkpoint_every", \.ppo.checkpointEvery, atLeastOne, "K",
      "save policy, optimiser and KL state every K iterations to resume from"),
  ]

  private static let riskKeys: [ConfigurationKey] = [
    real(
      "risk.alpha", \.risk.alpha, .unitOpenClosed, "α",
      "risk level: final kept fraction of the batch (paper: 0.4 IMDB, 0.2 Jigsaw)",
      only: .raRLHF),
    integer(
      "risk.warm_start", \.risk.warmStart, atLeastZero, "n",
      "iterations on the whole batch before the kept count falls (paper: 30)",
      only: .raRLHF),
    real(
      "risk.rho", \.risk.rho, .unitOpenClosed, "ρ",
      "kept count reaches ⌈αB⌉ at iteration ⌈ρM⌉ (paper: 0.95)", only: .raRLHF),
    choice(
      "risk.ranking", \.risk.ranking, nil,
      "rank episodes by GAE return (authors' code) or by score", only: .raRLHF),
    choice(
      "risk.kl_input", \.risk.klInput, nil,
      "KL controller input: code (masked sum / B) or paper (kept mean)",
      only: .raRLHF),
  ]

  private static let evalKeys: [ConfigurationKey] = [
    integer(
      "eval.batch_size", \.eval.batchSize, atLeastOne, nil,
      "prompts sampled together at evaluation"),
    count(
      "eval.perplexity_texts", \.eval.perplexityTexts, none: "all", nil,
      "human texts scored for perplexity; all = every test text"),
    integer(
      "eval.perplexity_chars", \.eval.perplexityCharacters, atLeastOne, nil,
      "characters kept per perplexity text (paper: 1000 IMDB, 500 Jigsaw)"),
    integer(
      "eval.seed", \.eval.seed, .integer(min: 0, max: Int(UInt32.max)), nil,
      "seed of the evaluation prompt sample and sampling (paper: 0)"),
    real(
      "eval.tail_quantile", \.eval.tailQuantile, .unit, nil,
      "tail = this fraction of prompts by own score; 0 = data.tail_threshold"),
  ]

  // MARK: - Builders

  private static func integer(
    _ name: String, _ path: WritableKeyPath<RunConfiguration, Int> & Sendable,
    _ domain: ConfigurationDomain, _ symbol: String?, _ summary: String,
    only algorithm: Algorithm? = nil
  ) -> ConfigurationKey {
    ConfigurationKey(
      name, symbol: symbol, summary, domain: domain, algorithm: algorithm,
      read: { .int($0[keyPath: path]) },
      write: { configuration, value in
        guard case .int(let number) = value else {
          preconditionFailure("\(name) set to \(value), not an integer")
        }
        configuration[keyPath: path] = number
      })
  }

  private static func count(
    _ name: String, _ path: WritableKeyPath<RunConfiguration, Int?> & Sendable,
    none: String, _ symbol: String?, _ summary: String
  ) -> ConfigurationKey {
    ConfigurationKey(
      name, symbol: symbol, summary,
      domain: .optionalInteger(min: 1, max: Int.max, none: none),
      algorithm: nil,
      read: { $0[keyPath: path].map { .int($0) } ?? .null },
      write: { configuration, value in
        switch value {
        case .int(let number): configuration[keyPath: path] = number
        case .null: configuration[keyPath: path] = nil
        default: preconditionFailure("\(name) set to \(value), not a count")
        }
      })
  }

  private static func real(
    _ name: String,
    _ path: WritableKeyPath<RunConfiguration, Double> & Sendable,
    _ interval: ConfigurationDomain.Interval, _ symbol: String?,
    _ summary: String,
    only algorithm: Algorithm? = nil
  ) -> ConfigurationKey {
    ConfigurationKey(
      name, symbol: symbol, summary, domain: .real(interval),
      algorithm: algorithm,
      read: { .real($0[keyPath: path]) },
      write: { configuration, value in
        switch value {
        case .real(let number): configuration[keyPath: path] = number
        case .int(let number): configuration[keyPath: path] = Double(number)
        default: preconditionFailure("\(name) set to \(value), not a number")
        }
      })
  }

  private static func flag(
    _ name: String, _ path: WritableKeyPath<RunConfiguration, Bool> & Sendable,
    _ symbol: String?, _ summary: String
  ) -> ConfigurationKey {
    ConfigurationKey(
      name, symbol: symbol, summary, domain: .boolean, algorithm: nil,
      read: { .bool($0[keyPath: path]) },
      write: { configuration, value in
        guard case .bool(let flag) = value else {
          preconditionFailure("\(name) set to \(value), not a boolean")
        }
        configuration[keyPath: path] = flag
      })
  }

  private static func choice<Choice>(
    _ name: String,
    _ path: WritableKeyPath<RunConfiguration, Choice> & Sendable,
    _ symbol: String?, _ summary: String, only algorithm: Algorithm? = nil
  ) -> ConfigurationKey
  where
    Choice: RawRepresentable & CaseIterable & Sendable,
    Choice.RawValue == String
  {
    ConfigurationKey(
      name, symbol: symbol, summary,
      domain: .choice(Choice.allCases.map(\.rawValue)),
      algorithm: algorithm,
      read: { .string($0[keyPath: path].rawValue) },
      write: { configuration, value in
        guard case .string(let text) = value,
          let choice = Choice(rawValue: text)
        else {
          preconditionFailure("\(name) set to \(value), not one of its choices")
        }
        configuration[keyPath: path] = choice
      })
  }
}
