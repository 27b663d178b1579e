/// One run as the report sees it: its configuration, status and final
/// evaluation metrics (a row of `runs` with its `evaluations`).
public struct RunSummary: Sendable, Hashable {
  /// `runs.id`.
  public var id: Int64
  /// `runs.name`.
  public var name: String
  /// `runs.task`: `imdb`, `jigsaw`, `realtoxicityprompts`.
  public var task: String
  /// `runs.algorithm`.
  public var algorithm: Algorithm
  /// `runs.alpha`, α, the risk level in (0, 1]; `nil` when not set.
  public var alpha: Double?
  /// `runs.warm_start`, n, the iterations trained on the whole batch.
  public var warmStart: Int?
  /// `runs.rho`, ρ, the fraction of iterations after which α′ = ⌈αB⌉.
  public var rho: Double?
  /// `runs.seed`.
  public var seed: Int
  /// `runs.status`: `pending`, `running`, `done`, `failed`, …
  public var status: String
  /// `runs.iterations_planned`, M; `nil` for runs without PPO.
  public var iterationsPlanned: Int?
  /// The number of rows in `iterations` for this run.
  public var iterationsRecorded: Int
  /// Final evaluation metrics by name (`evaluations.metric` → `value`);
  /// NaN where the store holds NULL.
  public var metrics: [String: Double]
  /// The resolved configuration (`runs.config_json`) less `seed` and
  /// `task`, values as text; empty when unknown. Seeds of one group have
  /// equal settings.
  public var settings: [String: String]

  /// A run record; see the properties for the meaning of each value.
  public init(
    id: Int64, name: String, task: String, algorithm: Algorithm,
    alpha: Double? = nil, warmStart: Int? = nil, rho: Double? = nil,
    seed: Int, status: String = "done", iterationsPlanned: Int? = nil,
    iterationsRecorded: Int = 0, metrics: [String: Double] = [:],
    settings: [String: String] = [:]
  ) {
    self.id = id
    self.name = name
    self.task = task
    self.algorithm = algorithm
    self.alpha = alpha
    self.warmStart = warmStart
    self.rho = rho
    self.seed = seed
    self.status = status
    self.iterationsPlanned = iterationsPlanned
    self.iterationsRecorded = iterationsRecorded
    self.metrics = metrics
    self.settings = settings
  }

  /// Whether the run finished (`status` is `done`).
  public var isDone: Bool { status == "done" }

  /// The configuration shared by the run's seeds.
  public var group: RunGroup {
    RunGroup(
      task: task, algorithm: algorithm, alpha: alpha, warmStart: warmStart,
      rho: rho, settings: settings)
  }
}
