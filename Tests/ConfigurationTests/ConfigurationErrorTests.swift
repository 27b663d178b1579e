import ArgumentParsing
import Configuration
import Testing
import YAML

@Suite struct ConfigurationErrorTests {
  /// Settings in order, each value at line i of `c.yaml`, column 10, and an
  /// optional training prompt count, with the exact message expected.
  @Test(
    arguments: [
      (
        ["task=imdb", "risk.alhpa=0.3"], nil,
        "c.yaml:2:10: unknown key 'risk.alhpa' "
          + "(did you mean 'risk.alpha'?)"
      ),
      (["task=imdb", "warmup=3"], nil, "c.yaml:2:10: unknown key 'warmup'"),
      (
        ["task=imdb", "seed='1'"], nil,
        "c.yaml:2:10: key 'seed' expects an integer, "
          + "got string \"1\""
      ),
      (
        ["task=imdb", "algorithm=ra-rlhf", "risk.alpha=1.5"], nil,
        "c.yaml:3:10: key "
          + "'risk.alpha' (α) is out of range: got 1.5 (allowed: (0, 1])"
      ),
      (
        ["task=imdb", "algorithm=ra-rlhf", "risk.alpha=0"], nil,
        "c.yaml:3:10: key "
          + "'risk.alpha' (α) is out of range: got 0 (allowed: (0, 1])"
      ),
      (
        ["task=imbd"], nil,
        "c.yaml:1:10: key 'task' has no value 'imbd' "
          + "(allowed: imdb, jigsaw, realtoxicityprompts; did you mean 'imdb'?)"
      ),
      (
        ["task=imdb", "risk.rho=0.9"], nil,
        "c.yaml:2:10: key 'risk.rho' (ρ) applies only "
          + "to algorithm ra-rlhf runs"
      ),
      (["seed=1"], nil, "key 'task' is required (allowed: imdb, jigsaw, realtoxicityprompts)"),
      (
        ["task=imdb", "ppo.batch_size=0"], nil,
        "c.yaml:2:10: key 'ppo.batch_size' (B) "
          + "is out of range: got 0 (allowed: integers ≥ 1)"
      ),
      (
        ["task=imdb", "ppo.adap_kl_ctrl=yes"], nil,
        "c.yaml:2:10: key 'ppo.adap_kl_ctrl' "
          + "expects true or false, got string \"yes\""
      ),
      (
        ["task=imdb", "ppo.iterations=some"], nil,
        "c.yaml:2:10: key 'ppo.iterations' "
          + "expects an integer or 'auto', got string \"some\""
      ),
      (
        ["task=imdb", "model.heads=3"], nil,
        "c.yaml:2:10: keys 'model.heads', "
          + "'model.d_model': need d divisible by H, got d = 128, H = 3"
      ),
      (
        ["task=imdb", "data.new_tokens=120"], nil,
        "c.yaml:2:10: keys 'model.context', "
          + "'data.prompt_tokens', 'data.new_tokens': need context ≥ P + new tokens, "
          + "got context = 64, P + new tokens = 24 + 120 = 144"
      ),
      (
        ["task=imdb", "model.tokenizer=gpt2"], nil,
        "c.yaml:2:10: keys 'model.vocab_size', "
          + "'model.tokenizer': need V = 50257 with tokenizer gpt2, got V = 4096"
      ),
      (
        ["task=imdb", "ppo.mini_batch_size=12"], nil,
        "c.yaml:2:10: keys "
          + "'ppo.mini_batch_size', 'ppo.batch_size': need B divisible by the mini-batch "
          + "size, got B = 64, mini-batch size = 12"
      ),
      (
        ["task=imdb", "data.train_prompts=16"], nil,
        "c.yaml:2:10: keys "
          + "'data.train_prompts', 'ppo.batch_size': need at least B training prompts for "
          + "one iteration, got 16 prompts, B = 64"
      ),
      (
        ["task=imdb", "data.train_prompts=all"], 20,
        "c.yaml:2:10: keys "
          + "'data.train_prompts', 'ppo.batch_size': need at least B training prompts for "
          + "one iteration, got 20 prompts (the task has 20), B = 64"
      ),
      (
        ["task=imdb", "algorithm=ra-rlhf", "risk.warm_start=31"], nil,
        "c.yaml:3:10: keys "
          + "'risk.warm_start', 'risk.rho', 'data.train_prompts', 'ppo.batch_size': need "
          + "n < ⌈ρM⌉ (M = 32 iterations), got n = 31, ⌈ρM⌉ = ⌈0.95 × 32⌉ = 31"
      ),
      (
        ["task=imdb", "preset=paper", "algorithm=ra-rlhf"], 2_600,
        "keys 'risk.warm_start', 'risk.rho', 'data.train_prompts', 'ppo.batch_size': "
          + "need n < ⌈ρM⌉ (M = 20 iterations), got n = 30, ⌈ρM⌉ = ⌈0.95 × 20⌉ = 19"
      ),
      (
        ["task=imdb", "ppo.iterations=5", "data.train_prompts=all"], 20,
        "c.yaml:3:10: keys "
          + "'data.train_prompts', 'ppo.batch_size': need at least B training prompts for "
          + "one iteration, got 20 prompts (the task has 20), B = 64"
      ),
      (
        ["task=imdb", "ppo.iterations=40"], nil,
        "c.yaml:2:10: keys 'ppo.iterations', 'data.train_prompts', 'ppo.batch_size': need "
          + "ppo.iterations ≤ M = ⌊prompts / B⌋ (a cap on one pass), got ppo.iterations = 40, "
          + "M = ⌊2048 / 64⌋ = 32"
      ),
      (
        ["task=imdb", "ppo.iterations=10"], 300,
        "c.yaml:2:10: keys 'ppo.iterations', 'data.train_prompts', 'ppo.batch_size': need "
          + "ppo.iterations ≤ M = ⌊prompts / B⌋ (a cap on one pass), got ppo.iterations = 10, "
          + "M = ⌊300 / 64⌋ = 4 (the task has 300)"
      ),
      (
        ["task=imdb", "algorithm=ra-rlhf", "risk.alpha=0.000000000001"], nil,
        "c.yaml:3:10: keys 'risk.alpha', 'ppo.batch_size': need ⌈αB⌉ ≥ 1 (the tail keeps "
          + "at least one episode), got α = 1e-12, B = 64, ⌈αB⌉ = 0"
      ),
    ] as [([String], Int?, String)])
  func refusalNamesPositionValueAndRule(
    settings: [String], prompts: Int?, message: String
  ) throws {
    let assignments = try settings.enumerated().map { index, text throws in
      let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
      let value = try #require(
        try YAMLParser.parse(
          String(repeating: "\n", count: index) + "key:     \(parts[1])\n", file: "c.yaml"
        )["key"])
      return ConfigurationAssignment(key: parts[0], value: value)
    }
    #expect {
      try RunConfiguration.resolve(assignments, availablePrompts: prompts)
    } throws: { error in
      "\(error)" == message
    }
  }

  @Test func smallPresetWithAllPromptsPassesTheScheduleRule() throws {
    let settings = ["task": "imdb", "algorithm": "ra-rlhf", "risk.warm_start": "30"]
    let assignments = try settings.sorted { $0.key > $1.key }.map { key, value throws in
      try ConfigurationAssignment(override: "\(key)=\(value)")
    }
    // M = 1024 / 32 = 32 is known from data.train_prompts, ⌈0.95 × 32⌉ = 31 > 30.
    #expect(throws: Never.self) {
      try RunConfiguration.resolve(assignments, availablePrompts: 25_000)
    }
  }

  @Test(arguments: ["seed", "=3", ""])
  func malformedOverridesAreRefused(text: String) {
    #expect(throws: ConfigurationError.malformedOverride(text)) {
      try ConfigurationAssignment(override: text)
    }
  }

  @Test func overrideErrorsNameTheOverride() throws {
    let assignments = try ["task=imdb", "ppo.gamma=2"].map { text throws(ConfigurationError) in
      try ConfigurationAssignment(override: text)
    }
    #expect {
      try RunConfiguration.resolve(assignments)
    } throws: { error in
      "\(error)" == "override 'ppo.gamma=2': key 'ppo.gamma' (γ) is out of range: got 2 "
        + "(allowed: [0, 1])"
    }
  }

  @Test func badCanonicalJSONIsRefused() {
    #expect {
      try RunConfiguration(canonicalJSON: "[1, 2]")
    } throws: { error in
      "\(error)" == "canonical configuration JSON: configuration JSON:1:1: expected a "
        + "mapping, got a list"
    }
  }

  @Test(
    arguments: [
      ("risk.alhpa", "risk.alpha"), ("ppo.learning_rat", "ppo.learning_rate"),
      ("seeds", "seed"), ("model.dmodel", "model.d_model"), ("zzz", nil),
      ("ppo.mini_bacth_size", "ppo.mini_batch_size"), ("ppo.lamda", "ppo.lam"),
      ("ppo.lambda", "ppo.lam"), ("ppo.lr", "ppo.learning_rate"),
      ("ppo.mbs", "ppo.mini_batch_size"), ("data.nt", "data.new_tokens"),
    ] as [(String, String?)])
  func spellingSuggestsTheClosestKey(word: String, expected: String?) {
    #expect(Spelling.closest(to: word, among: ConfigurationKey.all.map(\.name)) == expected)
  }
}
