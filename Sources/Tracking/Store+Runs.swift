import Checksums
import Foundation

extension Store {
  // MARK: - Sweeps

  /// Records a sweep by name with its spec text and returns its id.
  ///
  /// `spec_hash` is the hex SHA-256 of `specText`. Recording a name again
  /// returns the same sweep; when the spec text changed (a sweep extended with
  /// more seeds), the stored text and hash become the new ones.
  @discardableResult
  public func recordSweep(
    named name: String, specText: String, at time: Date = Date()
  ) throws(TrackingError) -> SweepID {
    let sql = """
      INSERT INTO sweeps (name, spec_text, spec_hash, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE
        SET spec_text = excluded.spec_text, spec_hash = excluded.spec_hash
      RETURNING id
      """
    let bindings: [SQLValue] = [
      .text(name), .text(specText), .text(SHA256.hex(of: specText)),
      .text(Timestamp.text(time)),
    ]
    return try locked { connection throws(TrackingError) in
      try connection.transaction { () throws(TrackingError) in
        SweepID(rawValue: try insertReturningID(connection, sql, bindings))
      }
    }
  }

  /// The runs of a sweep, by run id.
  public func runIDs(in sweep: SweepID) throws(TrackingError) -> [RunID] {
    try rows("SELECT run_id FROM sweep_runs WHERE sweep_id = ? ORDER BY run_id", [sweep.sqlValue])
      .map { row throws(TrackingError) in try row.get("run_id") }
  }

  // MARK: - Registering runs

  /// Registers a run by its identity and returns its id; registering the
  /// same identity again returns the same id and changes nothing.
  ///
  /// - Parameter sweep: when given, the run is linked to this sweep (a run
  ///   may belong to several sweeps).
  /// - Throws: ``TrackingError/invalidValue(field:value:allowed:)`` for values
  ///   out of range, ``TrackingError/identityConflict(identity:)`` when the
  ///   identity is registered with another configuration JSON.
  @discardableResult
  public func register(
    _ spec: RunSpec, in sweep: SweepID? = nil, at time: Date = Date()
  ) throws(TrackingError) -> RunID {
    try spec.validate()
    return try locked { connection throws(TrackingError) in
      try connection.transaction { () throws(TrackingError) in
        let existing = try connection.rows(
          "SELECT id, config_json FROM runs WHERE identity = ?", [.text(spec.identity)]
        ).first
        let run: RunID
        if let existing {
          guard try existing.get("config_json", as: String.self) == spec.configJSON else {
            throw .identityConflict(identity: spec.identity)
          }
          run = try existing.get("id")
        } else {
          run = RunID(
            rawValue: try insertReturningID(
              connection, Self.insertRun,
              [
                .text(spec.identity), .text(spec.name), .text(spec.task),
                .text(spec.algorithm.rawValue), .text(spec.preset), spec.alpha.sqlValue,
                spec.warmStart.sqlValue, spec.rho.sqlValue, .integer(Int64(spec.seed)),
                .text(spec.configJSON), spec.iterationsPlanned.sqlValue,
                .text(Timestamp.text(time)),
              ]))
        }
        if let sweep {
          try connection.cachedStatement(
            "INSERT OR IGNORE INTO sweep_runs (sweep_id, run_id) VALUES (?, ?)"
          ).run([sweep.sqlValue, run.sqlValue])
        }
        return run
      }
    }
  }

  /// Links `run` to `sweep` (no change when already linked).
  public func add(_ run: RunID, to sweep: SweepID) throws(TrackingError) {
    try write { connection throws(TrackingError) in
      try connection.cachedStatement(
        "INSERT OR IGNORE INTO sweep_runs (sweep_id, run_id) VALUES (?, ?)"
      ).run([sweep.sqlValue, run.sqlValue])
    }
  }

  /// Unlinks the run of identity `identity` from `sweep`; the run and
  /// everything recorded of it stay in the store. No change when it is not
  /// linked.
  public func remove(identity: String, from sweep: SweepID) throws(TrackingError) {
    try write { connection throws(TrackingError) in
      try connection.cachedStatement(
        """
        DELETE FROM sweep_runs
        WHERE sweep_id = ? AND run_id = (SELECT id FROM runs WHERE identity = ?)
        """
      ).run([sweep.sqlValue, .text(identity)])
    }
  }

  // MARK: - Status and heartbeats

  /// Moves `run` to `status` (see ``RunStatus/allowedNext``), recording
  /// `error` (for `failed` and `crashed`) and the time.
  ///
  /// Going to `running` sets `started_at` and the heartbeat and clears
  /// `finished_at` and `error`; finishing sets `finished_at`.
  ///
  /// - Throws: ``TrackingError/unknownRun(id:)``,
  ///   ``TrackingError/invalidTransition(run:from:to:)``.
  public func setStatus(
    _ status: RunStatus, of run: RunID, error: String? = nil, at time: Date = Date()
  ) throws(TrackingError) {
    let now = SQLValue.text(Timestamp.text(time))
    try write { connection throws(TrackingError) in
      let current = try connection.scalar(
        "SELECT status FROM runs WHERE id = ?", [run.sqlValue]
      ).flatMap(RunStatus.init(sqlValue:))
      guard let current else { throw .unknownRun(id: run.rawValue) }
      guard current.allowedNext.contains(status) else {
        throw .invalidTransition(run: run.rawValue, from: current, to: status)
      }
      let running = status == .running
      try connection.cachedStatement(
        """
        UPDATE runs SET status = ?, error = ?,
          started_at = CASE WHEN ? THEN ? ELSE started_at END,
          heartbeat_at = CASE WHEN ? THEN ? ELSE heartbeat_at END,
          finished_at = ?
        WHERE id = ?
        """
      ).run([
        status.sqlValue, running ? .null : error.sqlValue, running.sqlValue, now,
        running.sqlValue, now, status.isFinished ? now : .null, run.sqlValue,
      ])
    }
  }

  /// Records that `run` is alive at `time`. Recording an iteration is also a
  /// heartbeat.
  public func heartbeat(of run: RunID, at time: Date = Date()) throws(TrackingError) {
    try write { connection throws(TrackingError) in
      try connection.cachedStatement("UPDATE runs SET heartbeat_at = ? WHERE id = ?")
        .run([.text(Timestamp.text(time)), run.sqlValue])
      if connection.changes == 0 { throw .unknownRun(id: run.rawValue) }
    }
  }

  /// Marks every `running` run whose last heartbeat (or start) is older than
  /// `limit` seconds before `now` as `crashed`, with an error saying since
  /// when it was silent, and returns those runs.
  @discardableResult
  public func markStaleRunsCrashed(
    staleAfter limit: TimeInterval, now: Date = Date()
  ) throws(TrackingError) -> [RunID] {
    let cutoff = Timestamp.text(now.addingTimeInterval(-limit))
    return try write { connection throws(TrackingError) in
      try connection.rows(
        """
        UPDATE runs SET status = 'crashed', finished_at = ?,
          error = 'no heartbeat since ' || coalesce(heartbeat_at, started_at, created_at)
            || ' (limit ' || ? || ' s): the process died'
        WHERE status = 'running'
          AND coalesce(heartbeat_at, started_at, created_at) < ?
        RETURNING id
        """, [.text(Timestamp.text(now)), .real(limit), .text(cutoff)]
      ).map { row throws(TrackingError) in try row.get("id") }.sorted()
    }
  }

  // MARK: - Reading runs

  /// The run with id `id`, or `nil`.
  ///
  /// - Parameter limit: when given, a `running` run whose heartbeat is older
  ///   than `limit` seconds before `now` is reported as `crashed` (the file is
  ///   not changed; ``markStaleRunsCrashed(staleAfter:now:)`` does that).
  public func run(
    _ id: RunID, staleAfter limit: TimeInterval? = nil, now: Date = Date()
  ) throws(TrackingError) -> RunRecord? {
    try runs(where: "r.id = ?", [id.sqlValue], staleAfter: limit, now: now).first
  }

  /// The run registered with `identity`, or `nil`.
  public func run(
    identity: String, staleAfter limit: TimeInterval? = nil, now: Date = Date()
  ) throws(TrackingError) -> RunRecord? {
    try runs(where: "r.identity = ?", [.text(identity)], staleAfter: limit, now: now).first
  }

  /// All runs, or the runs of `sweep`, by id, with their status (stale
  /// `running` runs reported as `crashed` when `limit` is given).
  public func runs(
    in sweep: SweepID? = nil, staleAfter limit: TimeInterval? = nil, now: Date = Date()
  ) throws(TrackingError) -> [RunRecord] {
    if let sweep {
      return try runs(
        where: "r.id IN (SELECT run_id FROM sweep_runs WHERE sweep_id = ?)",
        [sweep.sqlValue], staleAfter: limit, now: now)
    }
    return try runs(where: "1", [], staleAfter: limit, now: now)
  }

  /// The last iteration recorded for `run`, or `nil` when none is; a resumed
  /// run continues at the next one.
  public func lastIteration(of run: RunID) throws(TrackingError) -> Int? {
    try locked { connection throws(TrackingError) in
      try lastIteration(of: run, connection)
    }
  }

  // MARK: - Internal

  /// Runs `body` in a `BEGIN IMMEDIATE` transaction under the lock.
  func write<Result>(
    _ body: (Connection) throws(TrackingError) -> Result
  ) throws(TrackingError) -> Result {
    try locked { connection throws(TrackingError) in
      try connection.transaction(.immediate) { () throws(TrackingError) in
        try body(connection)
      }
    }
  }

  func lastIteration(of run: RunID, _ connection: Connection) throws(TrackingError) -> Int? {
    let statement = try connection.cachedStatement(
      "SELECT max(iteration) FROM iterations WHERE run_id = ?")
    statement.reset()
    try statement.bind([run.sqlValue])
    defer { statement.reset() }
    guard try statement.step(), !statement.isNull(at: 0) else { return nil }
    return Int(statement.int64(at: 0))
  }

  func insertReturningID(
    _ connection: Connection, _ sql: String, _ bindings: [SQLValue]
  ) throws(TrackingError) -> Int64 {
    let statement = try connection.cachedStatement(sql)
    statement.reset()
    try statement.bind(bindings)
    defer { statement.reset() }
    guard try statement.step() else {
      throw .sqlite(path: path, code: 0, message: "no row id returned", sql: sql)
    }
    return statement.int64(at: 0)
  }

  private static let insertRun = """
    INSERT INTO runs (identity, name, task, algorithm, preset, alpha, warm_start, rho,
      seed, config_json, iterations_planned, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    RETURNING id
    """

  private func runs(
    where condition: String, _ bindings: [SQLValue], staleAfter limit: TimeInterval?,
    now: Date
  ) throws(TrackingError) -> [RunRecord] {
    let rows = try self.rows(
      """
      SELECT r.*, (SELECT max(iteration) FROM iterations AS i WHERE i.run_id = r.id)
        AS last_iteration
      FROM runs AS r WHERE \(condition) ORDER BY r.id
      """, bindings)
    let cutoff = limit.map { now.addingTimeInterval(-$0) }
    return try rows.map { row throws(TrackingError) in
      var record = try Self.runRecord(from: row)
      if record.status == .running, let cutoff,
        (record.heartbeatAt ?? record.startedAt ?? record.createdAt) < cutoff
      {
        record.status = .crashed
      }
      return record
    }
  }

  private static func runRecord(from row: Row) throws(TrackingError) -> RunRecord {
    let algorithmName: String = try row.get("algorithm")
    guard let algorithm = RunSpec.Algorithm(rawValue: algorithmName) else {
      throw .typeMismatch(
        column: "algorithm", value: algorithmName, expected: "base, sft, rlhf or ra-rlhf")
    }
    let spec = RunSpec(
      identity: try row.get("identity"), name: try row.get("name"), task: try row.get("task"),
      algorithm: algorithm, preset: try row.get("preset"), alpha: try row.get("alpha"),
      warmStart: try row.get("warm_start"), rho: try row.get("rho"), seed: try row.get("seed"),
      configJSON: try row.get("config_json"),
      iterationsPlanned: try row.get("iterations_planned"))
    return RunRecord(
      id: try row.get("id"), spec: spec, status: try row.get("status"),
      error: try row.get("error"), createdAt: try date(row, "created_at") ?? Date.distantPast,
      startedAt: try date(row, "started_at"), finishedAt: try date(row, "finished_at"),
      heartbeatAt: try date(row, "heartbeat_at"), lastIteration: try row.get("last_iteration"))
  }

  private static func date(_ row: Row, _ column: String) throws(TrackingError) -> Date? {
    guard let text = try row.get(column, as: String?.self) else { return nil }
    guard let date = Timestamp.date(text) else {
      throw .typeMismatch(
        column: column, value: "'\(text)'", expected: "a time like 2026-01-31T12:00:00.000Z")
    }
    return date
  }
}
