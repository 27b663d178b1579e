import Configuration

/// The hyper-parameters `PPOTrainer` runs with, with the paper's symbols and
/// defaults (GPT-2, IMDB column of the paper's hyper-parameter table); made
/// from a `RunConfiguration` for real runs.
public struct PPOTrainerSettings: Sendable, Equatable {
  /// B, episodes per iteration; ≥ 1 (paper: 128).
  public var batchSize = 128
  /// Episodes per optimiser step; divides B (paper: 128, one minibatch).
  public var minibatchSize = 128
  /// PPO epochs over each batch; ≥ 1 (paper: 4).
  public var epochs = 4
  /// New tokens per response at most; ≥ 1 (IMDB 48, Jigsaw 32).
  public var maxNewTokens = 48
  /// γ, discount; in [0, 1] (paper: 1).
  public var gamma = 1.0
  /// λ, GAE parameter; in [0, 1] (paper: 0.95).
  public var lambda = 0.95
  /// ε, policy clip range (paper: 0.2).
  public var clipRange = 0.2
  /// ε_v, value clip range (paper: 0.2).
  public var valueClipRange = 0.2
  /// c_v, value loss coefficient (paper: 0.1).
  public var valueCoefficient = 0.1
  /// β₀, initial KL coefficient (paper: 0.2).
  public var initialKLCoefficient = 0.2
  /// How β evolves (paper: adaptive, target 6, horizon 10 000).
  public var klRule = KLController.Rule.adaptive(target: 6, horizon: 10_000)
  /// Which KL the controller is fed (authors' code by default).
  public var klInput = KLControllerInput.code
  /// The soft-risk schedule for RA-RLHF; nil for plain RLHF (α′ = B).
  public var riskSchedule: SoftRiskSchedule?
  /// What the tail is ranked by (authors' code: first-token return).
  public var ranking = RiskRanking.return
  /// Minibatches whose mean ratio exceeds this are skipped (TRL: 10).
  public var ratioThreshold = 10.0
  /// Seed of every random choice the trainer makes (sampling, shuffling).
  public var seed: UInt64 = 0

  /// The paper's settings with the given batch size and schedule.
  public init(batchSize: Int = 128, riskSchedule: SoftRiskSchedule? = nil) {
    self.batchSize = batchSize
    self.minibatchSize = batchSize
    self.riskSchedule = riskSchedule
  }

  /// The settings of a configured run of M = `iterations` iterations: the
  /// `ppo.*` keys, `data.new_tokens`, `seed`, and for RA-RLHF the `risk.*`
  /// keys (schedule, ranking, KL input).
  ///
  /// - Throws: `RLHFError` when the values are out of range.
  public init(_ configuration: RunConfiguration, iterations: Int) throws {
    let ppo = configuration.ppo
    self.init(batchSize: ppo.batchSize)
    minibatchSize = ppo.miniBatchSize
    epochs = ppo.ppoEpochs
    maxNewTokens = configuration.data.newTokens
    gamma = ppo.gamma
    lambda = ppo.lam
    clipRange = ppo.clipRange
    valueClipRange = ppo.clipRangeValue
    valueCoefficient = ppo.vfCoef
    initialKLCoefficient = ppo.initKLCoef
    klRule =
      ppo.adaptiveKLControl
      ? .adaptive(target: ppo.target, horizon: Double(ppo.horizon)) : .fixed
    seed = UInt64(bitPattern: Int64(configuration.seed))
    if configuration.algorithm == .raRLHF {
      let risk = configuration.risk
      riskSchedule = try SoftRiskSchedule(
        alpha: risk.alpha, batchSize: ppo.batchSize, iterations: iterations,
        warmStart: risk.warmStart, rho: risk.rho)
      ranking = risk.ranking
      klInput = risk.klInput
    }
    try validate()
  }

  /// Checks the settings against each other.
  ///
  /// - Throws: `RLHFError.invalidParameter` naming the setting.
  public func validate() throws {
    func require(_ ok: Bool, _ name: String, _ value: Double, _ allowed: String) throws {
      if !ok { throw RLHFError.invalidParameter(name: name, value: value, allowed: allowed) }
    }
    try require(batchSize >= 1, "batch size B", Double(batchSize), "at least 1")
    try require(
      minibatchSize >= 1 && batchSize % minibatchSize == 0, "minibatch size",
      Double(minibatchSize), "a divisor of the batch size \(batchSize)")
    try require(epochs >= 1, "PPO epochs", Double(epochs), "at least 1")
    try require(maxNewTokens >= 1, "new tokens", Double(maxNewTokens), "at least 1")
    if let schedule = riskSchedule {
      try require(
        schedule.batchSize == batchSize, "risk schedule batch size",
        Double(schedule.batchSize), "equal to the batch size \(batchSize)")
    }
    _ = try AdvantageEstimator(gamma: gamma, lambda: lambda)
    _ = try lossFunction()
    _ = try KLController(initialCoefficient: initialKLCoefficient, rule: klRule)
  }

  /// The PPO loss these settings describe.
  public func lossFunction() throws -> PPOLoss {
    try PPOLoss(
      clipRange: clipRange, valueClipRange: valueClipRange,
      valueCoefficient: valueCoefficient, ratioThreshold: ratioThreshold)
  }

  /// α′ at `iteration`: the schedule's count, or B without one.
  public func keptCount(at iteration: Int) -> Int {
    riskSchedule?.keptCount(at: iteration) ?? batchSize
  }
}
