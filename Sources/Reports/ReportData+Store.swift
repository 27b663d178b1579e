import Tracking

extension ReportData {
  /// Reads the runs of the named sweeps from the tracking store, with
  /// their evaluation metrics, training curves and evaluation episodes.
  ///
  /// A run in several of the sweeps is read once. Evaluation metrics are
  /// read by name from whichever evaluation set holds them; a NULL value
  /// (SQLite's NaN) reads as NaN. An evaluation episode's prompt score is
  /// `episodes.prompt_score`, else `prompts.score`.
  /// - Parameters:
  ///   - store: the tracking database (schema version 1).
  ///   - sweeps: sweep names (`sweeps.name`), at least one.
  ///   - evaluationSet: only evaluation episodes of this `eval_set`; `nil`
  ///     for all of them.
  /// - Throws: `ReportError.noSweeps` for an empty list,
  ///   `.unknownSweep` for a name the store lacks,
  ///   `.ambiguousMetric` when a run has one metric in several evaluation
  ///   sets, `.unknownAlgorithm`, `.invalidConfiguration` for a
  ///   `config_json` that is not a flat JSON object, `.store` when a query
  ///   fails.
  public init(
    store: Store, sweeps: [String], evaluationSet: String? = nil
  ) throws(ReportError) {
    guard !sweeps.isEmpty else { throw .noSweeps }
    for name in sweeps {
      let found = try Self.query(store, "SELECT id FROM sweeps WHERE name = ?", [.text(name)])
      if found.isEmpty { throw .unknownSweep(name) }
    }
    let placeholders = Array(repeating: "?", count: sweeps.count).joined(separator: ", ")
    let selected = """
      WITH selected (run_id) AS (
        SELECT DISTINCT sweep_runs.run_id FROM sweep_runs
        JOIN sweeps ON sweeps.id = sweep_runs.sweep_id
        WHERE sweeps.name IN (\(placeholders)))
      """
    let names = sweeps.map { SQLValue.text($0) }

    var runs = try Self.runs(store, selected, names)
    try Self.addMetrics(to: &runs, store, selected, names)
    let curves = try Self.curves(store, selected, names)
    let episodes = try Self.evaluationEpisodes(
      store, selected, names, evaluationSet: evaluationSet)
    self.init(sweeps: sweeps, runs: runs, curves: curves, evaluationEpisodes: episodes)
  }

  // MARK: - Queries

  private static func runs(
    _ store: Store, _ selected: String, _ names: [SQLValue]
  ) throws(ReportError) -> [RunSummary] {
    let sql = """
      \(selected)
      SELECT runs.id, runs.name, runs.task, runs.algorithm, runs.alpha,
        runs.warm_start, runs.rho, runs.seed, runs.status, runs.preset,
        runs.config_json,
        runs.iterations_planned,
        (SELECT count(*) FROM iterations WHERE iterations.run_id = runs.id)
          AS iterations_recorded
      FROM runs JOIN selected ON selected.run_id = runs.id
      ORDER BY runs.id
      """
    var runs: [RunSummary] = []
    for row in try query(store, sql, names) {
      let id: Int64 = try read(row, "id")
      let name: String = try read(row, "algorithm")
      guard let algorithm = Algorithm(rawValue: name) else {
        throw .unknownAlgorithm(name, runID: id)
      }
      runs.append(
        RunSummary(
          id: id, name: try read(row, "name"), task: try read(row, "task"),
          algorithm: algorithm, alpha: try read(row, "alpha"),
          warmStart: try read(row, "warm_start"), rho: try read(row, "rho"),
          seed: try read(row, "seed"), status: try read(row, "status"),
          iterationsPlanned: try read(row, "iterations_planned"),
          iterationsRecorded: try read(row, "iterations_recorded"),
          settings: try RunSettings.parse(
            try read(row, "config_json"), preset: try read(row, "preset"), runID: id)))
    }
    return runs
  }

  private static func addMetrics(
    to runs: inout [RunSummary], _ store: Store, _ selected: String, _ names: [SQLValue]
  ) throws(ReportError) {
    let sql = """
      \(selected)
      SELECT evaluations.run_id, evaluations.eval_set, evaluations.metric,
        evaluations.value
      FROM evaluations JOIN selected ON selected.run_id = evaluations.run_id
      ORDER BY evaluations.run_id, evaluations.metric, evaluations.eval_set
      """
    let index = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.id, $0) })
    var sets: [Int64: [String: [String]]] = [:]
    for row in try query(store, sql, names) {
      let run: Int64 = try read(row, "run_id")
      let metric: String = try read(row, "metric")
      let value: Double? = try read(row, "value")
      sets[run, default: [:]][metric, default: []].append(try read(row, "eval_set"))
      if let position = index[run] { runs[position].metrics[metric] = value ?? .nan }
    }
    for (run, metrics) in sets.sorted(by: { $0.key < $1.key }) {
      for (metric, evalSets) in metrics.sorted(by: { $0.key < $1.key })
      where evalSets.count > 1 {
        throw .ambiguousMetric(metric, runID: run, evalSets: evalSets)
      }
    }
  }

  private static func curves(
    _ store: Store, _ selected: String, _ names: [SQLValue]
  ) throws(ReportError) -> [Int64: [String: [CurvePoint]]] {
    var curves: [Int64: [String: [CurvePoint]]] = [:]
    let iterations = """
      \(selected)
      SELECT iterations.run_id, iterations.iteration, iterations.kept_count,
        iterations.return_threshold, iterations.return_mean,
        iterations.return_mean_kept
      FROM iterations JOIN selected ON selected.run_id = iterations.run_id
      ORDER BY iterations.run_id, iterations.iteration
      """
    let columns = ["kept_count", "return_threshold", "return_mean", "return_mean_kept"]
    try forEach(store, iterations, names) { row throws(ReportError) in
      let run: Int64 = try read(row, "run_id")
      let iteration: Int = try read(row, "iteration")
      for column in columns {
        let value: Double? = try read(row, column)
        curves[run, default: [:]][column, default: []].append(
          CurvePoint(iteration: iteration, value: value ?? .nan))
      }
    }
    let statistics = """
      \(selected)
      SELECT iteration_stats.run_id, iteration_stats.iteration,
        iteration_stats.name, iteration_stats.value
      FROM iteration_stats JOIN selected ON selected.run_id = iteration_stats.run_id
      ORDER BY iteration_stats.run_id, iteration_stats.name, iteration_stats.iteration
      """
    try forEach(store, statistics, names) { row throws(ReportError) in
      let run: Int64 = try read(row, "run_id")
      let name: String = try read(row, "name")
      let value: Double? = try read(row, "value")
      curves[run, default: [:]][name, default: []].append(
        CurvePoint(iteration: try read(row, "iteration"), value: value ?? .nan))
    }
    return curves
  }

  private static func evaluationEpisodes(
    _ store: Store, _ selected: String, _ names: [SQLValue], evaluationSet: String?
  ) throws(ReportError) -> [Int64: [EvaluationEpisode]] {
    let filter = evaluationSet == nil ? "" : "AND episodes.eval_set = ?"
    let sql = """
      \(selected)
      SELECT episodes.run_id, episodes.prompt_ref, prompts.class,
        coalesce(episodes.prompt_score, prompts.score) AS prompt_score,
        episodes.reward
      FROM episodes
      JOIN selected ON selected.run_id = episodes.run_id
      JOIN prompts ON prompts.id = episodes.prompt_ref
      WHERE episodes.phase = 'eval' \(filter)
      ORDER BY episodes.run_id, episodes.eval_set, episodes.position
      """
    let bindings = names + (evaluationSet.map { [SQLValue.text($0)] } ?? [])
    var episodes: [Int64: [EvaluationEpisode]] = [:]
    try forEach(store, sql, bindings) { row throws(ReportError) in
      let reward: Double? = try read(row, "reward")
      episodes[try read(row, "run_id"), default: []].append(
        EvaluationEpisode(
          promptRef: try read(row, "prompt_ref"), promptClass: try read(row, "class"),
          promptScore: try read(row, "prompt_score"), reward: reward ?? .nan))
    }
    return episodes
  }

  // MARK: - Store access

  private static func query(
    _ store: Store, _ sql: String, _ bindings: [SQLValue]
  ) throws(ReportError) -> [Row] {
    do {
      return try store.rows(sql, bindings)
    } catch {
      throw .store(error)
    }
  }

  private static func forEach(
    _ store: Store, _ sql: String, _ bindings: [SQLValue],
    _ body: (Row) throws(ReportError) -> Void
  ) throws(ReportError) {
    var failure: ReportError?
    do throws(TrackingError) {
      try store.forEachRow(sql, bindings) { row throws(TrackingError) in
        guard failure == nil else { return }
        do throws(ReportError) {
          try body(row)
        } catch {
          failure = error
        }
      }
    } catch {
      throw .store(error)
    }
    if let failure { throw failure }
  }

  private static func read<Value: SQLValueConvertible>(
    _ row: Row, _ column: String
  ) throws(ReportError) -> Value {
    do {
      return try row.get(column)
    } catch {
      throw .store(error)
    }
  }
}
