/// What identifies and describes a run, as registered in `runs`.
///
/// Registering the same `identity` twice returns the same run, so a sweep
/// can register all its cells on every start and resume the unfinished ones.
public struct RunSpec: Hashable, Sendable {
  /// The training method, as stored in `runs.algorithm`.
  public enum Algorithm: String, CaseIterable, Hashable, Sendable {
    /// The pretrained base model, no fine-tuning.
    case base
    /// Supervised fine-tuning.
    case sft
    /// PPO on the reward model (risk-neutral RLHF).
    case rlhf
    /// PPO on the CVaR_α tail with the soft-risk schedule (RA-RLHF).
    case raRLHF = "ra-rlhf"
  }

  /// Hex SHA-256 of the canonical configuration JSON (64 lowercase digits).
  public var identity: String
  /// A readable name, e.g. `imdb-ra-rlhf-a0.4-s1`.
  public var name: String
  /// The task: `imdb`, `jigsaw` or `realtoxicityprompts`.
  public var task: String
  /// The training method.
  public var algorithm: Algorithm
  /// The size preset of the models and data (`tiny`, `small`, ...).
  public var preset: String
  /// α, the risk level: the fraction of episodes kept in the tail; (0, 1].
  /// `nil` for runs without a risk level.
  public var alpha: Double?
  /// n, the soft-risk schedule's warm start in iterations (≥ 0); `nil` for
  /// non-risk runs.
  public var warmStart: Int?
  /// ρ, the fraction of the M iterations after which α′ = ⌈αB⌉; (0, 1].
  /// `nil` for non-risk runs.
  public var rho: Double?
  /// The seed that drives every random source of the run.
  public var seed: Int
  /// The resolved configuration as canonical JSON.
  public var configJSON: String
  /// M, the number of PPO iterations planned (≥ 0), when known.
  public var iterationsPlanned: Int?

  /// A run description; see the properties for units and ranges.
  public init(
    identity: String, name: String, task: String, algorithm: Algorithm,
    preset: String, alpha: Double? = nil, warmStart: Int? = nil, rho: Double? = nil,
    seed: Int, configJSON: String, iterationsPlanned: Int? = nil
  ) {
    self.identity = identity
    self.name = name
    self.task = task
    self.algorithm = algorithm
    self.preset = preset
    self.alpha = alpha
    self.warmStart = warmStart
    self.rho = rho
    self.seed = seed
    self.configJSON = configJSON
    self.iterationsPlanned = iterationsPlanned
  }

  /// Refuses values the schema's checks would refuse, with a clear message.
  func validate() throws(TrackingError) {
    let hexDigits = identity.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    guard identity.utf8.count == 64, hexDigits else {
      throw .invalidValue(
        field: "run identity", value: "'\(identity)'",
        allowed: "64 lowercase hexadecimal digits (a SHA-256)")
    }
    if let alpha, !(alpha > 0 && alpha <= 1) {
      throw .invalidValue(field: "alpha", value: "\(alpha)", allowed: "in (0, 1]")
    }
    if let rho, !(rho > 0 && rho <= 1) {
      throw .invalidValue(field: "rho", value: "\(rho)", allowed: "in (0, 1]")
    }
    if let warmStart, warmStart < 0 {
      throw .invalidValue(field: "warm start n", value: "\(warmStart)", allowed: "≥ 0")
    }
    if let iterationsPlanned, iterationsPlanned < 0 {
      throw .invalidValue(
        field: "iterations planned", value: "\(iterationsPlanned)", allowed: "≥ 0")
    }
  }
}
