/// PPO as TRL 0.7's `PPOConfig` names it (`ppo.*`).
public struct PPOSettings: Sendable, Equatable {
  /// `ppo.batch_size`, B: episodes per iteration (128 in the paper).
  public var batchSize: Int
  /// `ppo.mini_batch_size`: episodes per gradient step; divides B.
  public var miniBatchSize: Int
  /// `ppo.ppo_epochs`: optimisation passes over each batch (4).
  public var ppoEpochs: Int
  /// `ppo.learning_rate`: Adam learning rate (1.41e-5).
  public var learningRate: Double
  /// `ppo.gamma`, γ: discount, in [0, 1] (1).
  public var gamma: Double
  /// `ppo.lam`, λ: GAE parameter, in [0, 1] (0.95).
  public var lam: Double
  /// `ppo.cliprange`, ε: policy ratio clip (0.2).
  public var clipRange: Double
  /// `ppo.cliprange_value`: value prediction clip (0.2).
  public var clipRangeValue: Double
  /// `ppo.vf_coef`: weight of the value loss (0.1).
  public var vfCoef: Double
  /// `ppo.init_kl_coef`, β₀: initial KL coefficient (0.2).
  public var initKLCoef: Double
  /// `ppo.adap_kl_ctrl`: adapt β towards `target` (true) or keep β₀.
  public var adaptiveKLControl: Bool
  /// `ppo.target`: KL target of the adaptive controller, in nats (6).
  public var target: Double
  /// `ppo.horizon`: horizon of the adaptive controller, in episodes
  /// (10,000).
  public var horizon: Int
  /// `ppo.iterations`: a cap on the iterations trained, at most M = one
  /// pass over the training prompts, ⌊prompts / B⌋, to cut a run short; nil
  /// (auto) trains all M. M itself is computed, never typed: the schedule
  /// keeps it when the cap stops the run early (see
  /// `RunConfiguration.iterations`).
  public var iterations: Int?
  /// `ppo.top_k`: sample from the k likeliest tokens; 0 turns it off (0).
  public var topK: Int
  /// `ppo.top_p`: nucleus sampling mass, in (0, 1]; 1 turns it off (1).
  public var topP: Double

  /// `ppo.checkpoint_every`, K: the policy, optimiser and controller state
  /// are saved every K iterations and after the last, so an interrupted run
  /// resumes from its newest checkpoint (10).
  public var checkpointEvery: Int
  /// The paper's settings (PAPER.md, hyper-parameter table) with batch `B`.
  public init(batchSize: Int, miniBatchSize: Int) {
    self.batchSize = batchSize
    self.miniBatchSize = miniBatchSize
    ppoEpochs = 4
    learningRate = 1.41e-5
    gamma = 1
    lam = 0.95
    clipRange = 0.2
    clipRangeValue = 0.2
    vfCoef = 0.1
    initKLCoef = 0.2
    adaptiveKLControl = true
    target = 6
    horizon = 10_000
    iterations = nil
    topK = 0
    topP = 1
    checkpointEvery = 10
  }
}
