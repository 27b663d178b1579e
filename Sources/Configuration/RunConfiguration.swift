import Checksums
import TextData

/// The fully resolved configuration of one run: every setting, typed.
///
/// Built from a preset's defaults (`defaults(task:algorithm:preset:seed:)`)
/// and the user's settings (`resolve(_:)`), then checked by `validate`. Its
/// canonical JSON and `identity` name the run in the tracking store; `name`
/// is a readable label derived from them.
public struct RunConfiguration: Sendable, Equatable {
  /// `task`: the benchmark.
  public var task: TaskName
  /// `algorithm`: RLHF or RA-RLHF.
  public var algorithm: Algorithm
  /// `preset`: the defaults this configuration started from.
  public var preset: Preset
  /// `seed`: drives every random source of the run.
  public var seed: Int
  /// `model.*`: tokenizer and transformer shape.
  public var model: ModelSettings
  /// `data.*`: prompts, completions, corpora, evaluation sets.
  public var data: DataSettings
  /// `base.*`: training of the base language model.
  public var base: TrainingSettings
  /// `sft.*`: supervised fine-tuning.
  public var sft: TrainingSettings
  /// `reward.*`: training of the reward and judge classifiers.
  public var reward: TrainingSettings
  /// `ppo.*`: PPO.
  public var ppo: PPOSettings
  /// `risk.*`: the soft-risk schedule; ignored (and left out of the
  /// identity) unless `algorithm` is `.raRLHF`.
  public var risk: RiskSettings
  /// `eval.*`: evaluation.
  public var eval: EvaluationSettings

  /// A configuration with every group given.
  public init(
    task: TaskName, algorithm: Algorithm, preset: Preset, seed: Int,
    model: ModelSettings, data: DataSettings, base: TrainingSettings,
    sft: TrainingSettings, reward: TrainingSettings, ppo: PPOSettings,
    risk: RiskSettings, eval: EvaluationSettings
  ) {
    self.task = task
    self.algorithm = algorithm
    self.preset = preset
    self.seed = seed
    self.model = model
    self.data = data
    self.base = base
    self.sft = sft
    self.reward = reward
    self.ppo = ppo
    self.risk = risk
    self.eval = eval
  }

  // MARK: - Derived values

  /// Training prompts a run uses when the task has `available` of them:
  /// `data.train_prompts` capped at `available`, or all of them.
  public func trainingPromptCount(available: Int) -> Int {
    min(data.trainPrompts ?? available, available)
  }

  /// M, one pass over the training prompts, ⌊prompts / B⌋ (194 for the
  /// paper's IMDB): computed, never typed. The soft-risk schedule and the
  /// rule n < ⌈ρM⌉ use it whatever `ppo.iterations` says.
  ///
  /// - Parameter availablePrompts: training prompts the task has.
  public func passIterations(availablePrompts: Int) -> Int {
    trainingPromptCount(available: availablePrompts) / ppo.batchSize
  }

  /// The iterations a run trains: M (`passIterations`), or the first
  /// `ppo.iterations` of them when that cap is set (`validate` refuses a
  /// cap above M).
  ///
  /// - Parameter availablePrompts: training prompts the task has.
  public func iterations(availablePrompts: Int) -> Int {
    let pass = passIterations(availablePrompts: availablePrompts)
    return min(ppo.iterations ?? pass, pass)
  }

  /// The risk settings when they are part of the run (RA-RLHF), else nil;
  /// what the store's `alpha`, `warm_start` and `rho` columns hold.
  public var appliedRisk: RiskSettings? {
    algorithm == .raRLHF ? risk : nil
  }

  /// The keys that are part of this run: every key, less the `risk.*` keys
  /// for RLHF runs.
  public var keys: [ConfigurationKey] {
    ConfigurationKey.all.filter { $0.applies(to: algorithm) }
  }

  /// The value of the key called `name`, or nil for an unknown name.
  public subscript(name: String) -> ConfigurationValue? {
    ConfigurationKey.named(name)?.value(in: self)
  }

  // MARK: - Identity

  /// The configuration as canonical JSON: one object, keys dotted and sorted
  /// by their UTF-8 bytes, no white space, numbers as
  /// `ConfigurationValue.json` writes them. RLHF runs leave out `risk.*`.
  public var canonicalJSON: String {
    let members = keys.map { (name: $0.name, value: $0.value(in: self)) }
      .sorted {
        Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8))
      }
      .map { ConfigurationValue.quoted($0.name) + ":" + $0.value.json }
    return "{" + members.joined(separator: ",") + "}"
  }

  /// The run's identity: the hex SHA-256 of `canonicalJSON`.
  public var identity: String { SHA256.hex(of: canonicalJSON) }

  /// A readable label, derived and never typed:
  /// `imdb-ra-rlhf-a0.4-n30-r0.95-s1-1a2b3c4d` (task, algorithm, α, n, ρ
  /// for RA-RLHF, seed, the first 8 hex digits of the identity), or
  /// `imdb-rlhf-s1-…` for RLHF. Runs differing only in other keys share all
  /// but the hex digits.
  public var name: String {
    var parts = [task.rawValue, algorithm.rawValue]
    if algorithm == .raRLHF {
      parts += [
        "a" + ConfigurationValue.format(risk.alpha), "n\(risk.warmStart)",
        "r" + ConfigurationValue.format(risk.rho),
      ]
    }
    parts += ["s\(seed)", String(identity.prefix(8))]
    return parts.joined(separator: "-")
  }
}
