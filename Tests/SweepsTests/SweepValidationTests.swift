import Configuration
import Sweeps
import Testing

@Suite struct SweepValidationTests {
  static let header = "name: bad\ntask: imdb\n"

  /// Six parameters of ten values each: a million combinations.
  static let hugeGrid: String = {
    let keys = [
      "seed", "ppo.ppo_epochs", "ppo.top_k", "eval.seed", "model.layers",
      "base.epochs",
    ]
    let lines = keys.map { "  \($0): {values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}\n" }
    return "parameters:\n" + lines.joined()
  }()

  /// Malformed sweep files (after a two-line header unless they start with
  /// `name:`), each with the exact message it is refused with.
  @Test(arguments: [
    (
      "parameters:\n  seed: {values: [1, 2}\n",
      "m.yaml:4:23: did not find expected ',' or ']' "
        + "(while parsing a flow sequence at line 4, column 18)"
    ),
    (
      "parameters:\n  algorithm: {value: ra-rlhf}\n  risk.alhpa: {values: [0.2]}\n",
      "m.yaml:5:3: unknown key 'risk.alhpa' (did you mean 'risk.alpha'?)"
    ),
    (
      "parameters:\n  algorithm: {value: ra-rlhf}\n  risk.alpha: {values: [0.4, 1.5]}\n",
      "m.yaml:5:30: key 'risk.alpha' (α) is out of range: got 1.5 (allowed: (0, 1])"
    ),
    (
      "parameters:\n  seed: {values: [\"1\", \"2\"]}\n",
      "m.yaml:4:19: key 'seed' expects an integer, got string \"1\""
    ),
    (
      "parameters:\n  algorithm: {value: ra-rlhf}\n  risk.warm_start: {values: [5, 31]}\n",
      "m.yaml:5:33: keys 'risk.warm_start', 'risk.rho', 'data.train_prompts', "
        + "'ppo.batch_size': need n < ⌈ρM⌉ (M = 32 iterations), got n = 31, "
        + "⌈ρM⌉ = ⌈0.95 × 32⌉ = 31"
    ),
    (
      "parameters:\n  seed: {values: []}\n",
      "m.yaml:4:18: empty grid: parameter 'seed' has no values"
    ),
    (
      "parameters:\n  seed: {values: [1]}\n  seed: {values: [2]}\n",
      "m.yaml:5:3: duplicate key 'seed' (first defined at line 4, column 3)"
    ),
    ("metod: grid\n", "m.yaml:3:1: unknown field 'metod' (did you mean 'method'?)"),
    (
      "ppo.learning_rate: 1e-4\n",
      "m.yaml:3:1: configuration key 'ppo.learning_rate' belongs under 'parameters' "
        + "(as 'ppo.learning_rate: {value: …}')"
    ),
    (
      "method: bayes\n",
      "m.yaml:3:9: field 'method' got 'bayes' (allowed: grid, random)"
    ),
    (
      "method: random\n",
      "m.yaml:1:1: field 'count' is required (allowed: integers ≥ 1, with method: random)"
    ),
    (
      "count: 3\n",
      "m.yaml:3:1: field 'count' got integer 3 (allowed: only with method: random)"
    ),
    (
      "method: random\ncount: 4\nparameters:\n  seed: {values: [1, 2]}\n"
        + "  ppo.ppo_epochs: {values: [1, 2, 3]}\n",
      "m.yaml:4:8: field 'count' got 4 (allowed: at most the 3 configurations of the grid)"
    ),
    (
      "parameters:\n  seed: [1, 2]\n",
      "m.yaml:4:9: parameter 'seed' must be a mapping with 'values: [...]', 'value: ...' "
        + "or 'distribution: ..., min: ..., max: ...', got a list"
    ),
    (
      "parameters:\n  seed: {valeus: [1, 2]}\n",
      "m.yaml:4:10: unknown field 'valeus' (did you mean 'values'?)"
    ),
    (
      "parameters:\n  seed: {value: 1, values: [1, 2]}\n",
      "m.yaml:4:9: parameter 'seed' must be a mapping with 'values: [...]', 'value: ...' "
        + "or 'distribution: ..., min: ..., max: ...', got fields 'value', 'values'"
    ),
    (
      "parameters:\n  risk.alpha: {values: [0.2, 0.4]}\n",
      "m.yaml:4:3: parameter 'risk.alpha' applies only to ra-rlhf runs, and this sweep "
        + "has none (add ra-rlhf to 'algorithm')"
    ),
    (
      "parameters:\n  seed: {values: [1, 2, 1]}\n",
      "m.yaml:4:25: parameter 'seed' lists 1 twice (first at line 4, column 19)"
    ),
    (
      "parameters:\n  seed: {values: [1, 2]}\nexclude:\n  - {seed: 3}\n",
      "m.yaml:6:5: exclude entry matches no run of the grid"
    ),
    (
      "parameters:\n  seed: {values: [1, 2]}\nexclude:\n  - {seed: 1}\n  - {seed: 2}\n",
      "m.yaml:6:5: empty grid: every run is excluded"
    ),
    (
      "parameters:\n  task: {values: [jigsaw]}\n",
      "m.yaml:4:3: 'task' is already set at line 2, column 1"
    ),
    (
      "parameters:\n  ppo.mini_batch_size: {value: 12}\n",
      "m.yaml:4:32: keys 'ppo.mini_batch_size', 'ppo.batch_size': need B divisible by "
        + "the mini-batch size, got B = 64, mini-batch size = 12"
    ),
    (
      "include:\n  - {algorithm: ra-rlhf, risk.alpha: 0}\n",
      "m.yaml:4:38: key 'risk.alpha' (α) is out of range: got 0 (allowed: (0, 1])"
    ),
    (
      "include:\n  - {algorithm: rlhf, risk.rho: 0.5}\n",
      "m.yaml:4:23: key 'risk.rho' (ρ) applies only to algorithm ra-rlhf runs"
    ),
    (
      "parameters:\n  algorithm: {values: [rlhf, ra_rlhf]}\n",
      "m.yaml:4:30: key 'algorithm' has no value 'ra_rlhf' (allowed: rlhf, ra-rlhf; "
        + "did you mean 'ra-rlhf'?)"
    ),
    (
      "parameters:\n  ppo.learning_rate: {distribution: uniform, min: 1e-5, max: 1e-4}\n",
      "m.yaml:4:37: field 'distribution' got string \"uniform\" (allowed: only with "
        + "method: random)"
    ),
    (
      "method: random\ncount: 2\nparameters:\n"
        + "  ppo.learning_rate: {distribution: log_uniform_values, min: 1e-4, max: 1e-5}\n",
      "m.yaml:6:73: field 'max' got 1e-5 (allowed: > min 1e-4)"
    ),
    (
      "method: random\ncount: 2\nparameters:\n"
        + "  ppo.gamma: {distribution: log_uniform_values, min: 0, max: 1}\n",
      "m.yaml:6:54: field 'min' got 0 (allowed: > 0 for log_uniform_values)"
    ),
    (
      "method: random\ncount: 2\nparameters:\n"
        + "  ppo.ppo_epochs: {distribution: uniform, min: 1, max: 8}\n",
      "m.yaml:6:34: field 'distribution' got 'uniform' (allowed: int_uniform for "
        + "'ppo.ppo_epochs')"
    ),
    (
      "method: random\ncount: 2\nparameters:\n"
        + "  ppo.ppo_epochs: {distribution: normal, min: 1, max: 8}\n",
      "m.yaml:6:34: field 'distribution' got 'normal' (allowed: uniform, "
        + "log_uniform_values, int_uniform)"
    ),
    (
      "method: random\ncount: 2\nparameters:\n"
        + "  ppo.learning_rate: {distribution: uniform, min: 1e-5, max: 2}\n",
      "m.yaml:6:62: key 'ppo.learning_rate' is out of range: got 2 (allowed: (0, 1])"
    ),
    (
      "method: random\ncount: 2\nparameters:\n"
        + "  ppo.learning_rate: {distribution: uniform, min: 1e-5}\n",
      "m.yaml:6:22: field 'max' is required (allowed: a number in the key's range)"
    ),
    (
      "method: random\ncount: 2\nparameters:\n"
        + "  ppo.learning_rate: {distribution: uniform, min: 1e-5, max: 1e-4}\n"
        + "include:\n  - {seed: 4}\n",
      "m.yaml:8:5: field 'include' got an entry without 'ppo.learning_rate' (allowed: "
        + "entries that set every parameter drawn from a distribution)"
    ),
    (
      "name: my sweep\ntask: imdb\n",
      "m.yaml:1:7: field 'name' got 'my sweep' (allowed: letters, digits, '.', '_' and '-', "
        + "starting with a letter or digit)"
    ),
    (
      "name: x\nseed: 1\n",
      "m.yaml:2:1: field 'seed' got integer 1 (allowed: only with method: random, as "
        + "the sampler's seed; run seeds go under parameters as 'seed: {values: [...]}')"
    ),
    (
      Self.hugeGrid,
      "m.yaml:4:3: field 'parameters' got a grid of 1000000 combinations (allowed: at most "
        + "100000)"
    ),
    (
      "method: random\ncount: 0\n",
      "m.yaml:4:8: field 'count' got 0 (allowed: integers in [1, 10000])"
    ),
    (
      "task: imdb\n",
      "m.yaml:1:1: field 'name' is required (allowed: letters, digits, '.', "
        + "'_' and '-')"
    ),
    ("name: x\n", "key 'task' is required (allowed: imdb, jigsaw, realtoxicityprompts)"),
    ("- 1\n- 2\n", "m.yaml:1:1: expected a mapping of sweep fields, got a list"),
  ])
  func malformedSweepIsRefusedWithItsPosition(body: String, message: String) {
    let text =
      body.hasPrefix("name:") || body.hasPrefix("task:") || body.hasPrefix("- ")
      ? body : Self.header + body
    #expect {
      try Sweep(text: text, file: "m.yaml").plan(availablePrompts: [.imdb: 25_000])
    } throws: { error in
      "\(error)" == message
    }
  }

  @Test func badOverridesAreRefusedBeforeExpansion() throws {
    let sweep = try Sweep(text: Self.header, file: "o.yaml")
    #expect {
      try sweep.plan(overrides: ["ppo.gamma=1.5"])
    } throws: { error in
      "\(error)" == "override 'ppo.gamma=1.5': key 'ppo.gamma' (γ) is out of range: got 1.5 "
        + "(allowed: [0, 1])"
    }
    #expect {
      try sweep.plan(overrides: ["ppo.gama=0.5"])
    } throws: { error in
      "\(error)" == "override 'ppo.gama=0.5': unknown key 'ppo.gama' (did you mean 'ppo.gamma'?)"
    }
    #expect(throws: SweepError.configuration(.malformedOverride("seed"))) {
      try sweep.plan(overrides: ["seed"])
    }
  }

  @Test func missingFileIsNamed() {
    #expect {
      try Sweep(fileAt: "/nonexistent/sweep.yaml")
    } throws: { error in
      "\(error)"
        == "/nonexistent/sweep.yaml: cannot read the file: no such file or directory"
    }
  }
}
