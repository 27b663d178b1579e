import Foundation

extension Store {
  /// The shard file for the run with `identity` in `directory`:
  /// `run-<first 16 hex digits>.sqlite`. A shard is an ordinary store that
  /// one worker writes alone, merged later with ``merge(shardAt:)``.
  public static func shardURL(forRunIdentity identity: String, in directory: URL) -> URL {
    directory.appendingPathComponent("run-\(identity.prefix(16)).sqlite")
  }

  /// Merges every `*.sqlite` shard in `directory`, in name order.
  @discardableResult
  public func mergeShards(in directory: URL) throws(TrackingError) -> MergeSummary {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    } catch {
      throw .fileError(path: directory.path, detail: "cannot list the shard folder")
    }
    var summary = MergeSummary()
    for name in names.sorted() where name.hasSuffix(".sqlite") {
      let shard = directory.appendingPathComponent(name)
      guard shard.standardizedFileURL != url.standardizedFileURL else { continue }
      summary = summary + (try merge(shardAt: shard))
    }
    return summary
  }

  /// Merges one shard into this store in one transaction; merging the same
  /// shard again adds nothing.
  ///
  /// Rows are matched by their natural keys (sweep name, run identity,
  /// prompt task and id, artifact content hash) and their ids renumbered.
  /// Iterations and evaluation sets are taken whole, only when the main store
  /// lacks them, so an iteration is never half-merged. A run's status and
  /// times come from the shard when the shard's are at least as recent.
  ///
  /// A shard with an older schema than this store's is upgraded in place
  /// first, as opening it with any command would; one with a newer schema
  /// is refused.
  ///
  /// - Throws: the shard's own open errors (not a database, corrupt, newer
  ///   schema, or read-only when it needs an upgrade) naming the shard;
  ///   ``TrackingError/full(path:sql:)``.
  @discardableResult
  public func merge(shardAt shard: URL) throws(TrackingError) -> MergeSummary {
    let supported = migrations.last?.version ?? 0
    let shardVersion = try Schema.version(
      of: Connection(path: shard.path, access: .readOnly))
    if shardVersion > supported {
      throw .newerSchema(
        path: shard.path, fileVersion: shardVersion, supportedVersion: supported)
    }
    // Opening checks the file and upgrades an older schema.
    let access: Connection.Access = shardVersion < supported ? .readWrite : .readOnly
    _ = try Store(at: shard, options: Options(access: access), migrations: migrations)
    return try locked { connection throws(TrackingError) in
      try connection.prepare("ATTACH DATABASE ? AS shard").run([.text(shard.path)])
      defer { _ = try? connection.execute("DETACH DATABASE shard") }
      return try connection.transaction(.immediate) { () throws(TrackingError) in
        var summary = MergeSummary()
        summary.shards = 1
        for (step, sql) in Self.mergeSteps.enumerated() {
          try connection.execute(sql)
          let changed = connection.changes
          switch Self.countedSteps[step] {
          case "runs": summary.runs += changed
          case "iterations": summary.iterations += changed
          case "episodes": summary.episodes += changed
          case "evaluations": summary.evaluations += changed
          default: break
          }
        }
        try connection.execute(
          "DROP TABLE temp.merge_sweeps; DROP TABLE temp.merge_runs; "
            + "DROP TABLE temp.merge_prompts; DROP TABLE temp.merge_artifacts; "
            + "DROP TABLE temp.merge_iterations; DROP TABLE temp.merge_eval_sets")
        return summary
      }
    }
  }

  /// What each of ``mergeSteps`` counts towards in the summary.
  private static let countedSteps: [Int: String] = [
    3: "runs", 13: "iterations",
    14: "episodes", 17: "episodes", 18: "evaluations",
  ]

  /// The merge, one statement per step; ids are mapped through temp tables.
  private static let mergeSteps: [String] = [
    // 0-2: sweeps by name.
    """
    CREATE TEMP TABLE merge_sweeps (shard_id INTEGER PRIMARY KEY, main_id INTEGER);
    CREATE TEMP TABLE merge_runs (shard_id INTEGER PRIMARY KEY, main_id INTEGER);
    CREATE TEMP TABLE merge_prompts (shard_id INTEGER PRIMARY KEY, main_id INTEGER);
    CREATE TEMP TABLE merge_artifacts (shard_id INTEGER PRIMARY KEY, main_id INTEGER)
    """,
    """
    INSERT INTO main.sweeps (name, spec_text, spec_hash, created_at)
    SELECT name, spec_text, spec_hash, created_at FROM shard.sweeps WHERE true
    ON CONFLICT (name) DO NOTHING
    """,
    """
    INSERT INTO temp.merge_sweeps
    SELECT s.id, m.id FROM shard.sweeps AS s JOIN main.sweeps AS m ON m.name = s.name
    """,
    // 3: new runs by identity (counted).
    """
    INSERT INTO main.runs (identity, name, task, algorithm, preset, alpha, warm_start,
      rho, seed, config_json, status, error, iterations_planned, created_at,
      started_at, finished_at, heartbeat_at)
    SELECT identity, name, task, algorithm, preset, alpha, warm_start, rho, seed,
      config_json, status, error, iterations_planned, created_at, started_at,
      finished_at, heartbeat_at
    FROM shard.runs WHERE identity NOT IN (SELECT identity FROM main.runs)
    """,
    // 4: status of known runs, when the shard's news is at least as recent.
    """
    UPDATE main.runs SET (status, error, started_at, finished_at, heartbeat_at) =
      (SELECT s.status, s.error, s.started_at, s.finished_at, s.heartbeat_at
       FROM shard.runs AS s WHERE s.identity = runs.identity)
    WHERE identity IN (SELECT identity FROM shard.runs)
      AND (SELECT max(ifnull(s.started_at, ''), ifnull(s.finished_at, ''),
                      ifnull(s.heartbeat_at, ''))
           FROM shard.runs AS s WHERE s.identity = runs.identity)
        >= max(ifnull(started_at, ''), ifnull(finished_at, ''), ifnull(heartbeat_at, ''))
    """,
    """
    INSERT INTO temp.merge_runs
    SELECT s.id, m.id FROM shard.runs AS s JOIN main.runs AS m ON m.identity = s.identity
    """,
    """
    INSERT OR IGNORE INTO main.sweep_runs (sweep_id, run_id)
    SELECT ms.main_id, mr.main_id FROM shard.sweep_runs AS x
      JOIN temp.merge_sweeps AS ms ON ms.shard_id = x.sweep_id
      JOIN temp.merge_runs AS mr ON mr.shard_id = x.run_id
    """,
    """
    INSERT OR REPLACE INTO main.provenance (run_id, git_commit, git_dirty,
      git_diff_hash, swift_version, os, blas, blas_threads, data_checksums_json,
      recorded_at)
    SELECT mr.main_id, p.git_commit, p.git_dirty, p.git_diff_hash, p.swift_version,
      p.os, p.blas, p.blas_threads, p.data_checksums_json, p.recorded_at
    FROM shard.provenance AS p JOIN temp.merge_runs AS mr ON mr.shard_id = p.run_id
    WHERE p.recorded_at >= ifnull(
      (SELECT recorded_at FROM main.provenance WHERE run_id = mr.main_id), '')
    """,
    // 8-10: artifacts by content hash, and their links.
    """
    INSERT INTO main.artifacts (kind, content_hash, path, bytes, created_at)
    SELECT kind, content_hash, path, bytes, created_at FROM shard.artifacts WHERE true
    ON CONFLICT (content_hash) DO NOTHING
    """,
    """
    INSERT INTO temp.merge_artifacts
    SELECT s.id, m.id FROM shard.artifacts AS s
      JOIN main.artifacts AS m ON m.content_hash = s.content_hash
    """,
    """
    INSERT OR IGNORE INTO main.run_artifacts (run_id, artifact_id, role)
    SELECT mr.main_id, ma.main_id, x.role FROM shard.run_artifacts AS x
      JOIN temp.merge_runs AS mr ON mr.shard_id = x.run_id
      JOIN temp.merge_artifacts AS ma ON ma.shard_id = x.artifact_id
    """,
    // 11-12: prompts by task and prompt id.
    """
    INSERT INTO main.prompts (task, prompt_id, class, text, score)
    SELECT task, prompt_id, class, text, score FROM shard.prompts WHERE true
    ON CONFLICT (task, prompt_id) DO UPDATE
      SET score = coalesce(prompts.score, excluded.score)
    """,
    """
    CREATE TEMP TABLE merge_iterations AS
    SELECT mr.main_id AS run_id, mr.shard_id AS shard_run_id, i.iteration
    FROM shard.iterations AS i JOIN temp.merge_runs AS mr ON mr.shard_id = i.run_id
    WHERE NOT EXISTS (SELECT 1 FROM main.iterations AS m
                      WHERE m.run_id = mr.main_id AND m.iteration = i.iteration);
    INSERT INTO temp.merge_prompts
    SELECT s.id, m.id FROM shard.prompts AS s
      JOIN main.prompts AS m ON m.task = s.task AND m.prompt_id = s.prompt_id
    """,
    // 13-15: whole iterations the main store lacks (counted).
    """
    INSERT INTO main.iterations (run_id, iteration, kept_count, return_threshold,
      return_mean, return_mean_kept, recorded_at)
    SELECT n.run_id, i.iteration, i.kept_count, i.return_threshold, i.return_mean,
      i.return_mean_kept, i.recorded_at
    FROM temp.merge_iterations AS n JOIN shard.iterations AS i
      ON i.run_id = n.shard_run_id AND i.iteration = n.iteration
    """,
    """
    INSERT INTO main.episodes (run_id, phase, eval_set, iteration, position,
      prompt_ref, completion, prompt_score, reward, judge_reward, kl, "return",
      response_length, in_tail)
    SELECT n.run_id, e.phase, e.eval_set, e.iteration, e.position, mp.main_id,
      e.completion, e.prompt_score, e.reward, e.judge_reward, e.kl, e."return",
      e.response_length, e.in_tail
    FROM temp.merge_iterations AS n
      JOIN shard.episodes AS e ON e.run_id = n.shard_run_id AND e.iteration = n.iteration
      JOIN temp.merge_prompts AS mp ON mp.shard_id = e.prompt_ref
    WHERE e.phase = 'train'
    """,
    """
    INSERT INTO main.iteration_stats (run_id, iteration, name, value)
    SELECT n.run_id, s.iteration, s.name, s.value
    FROM temp.merge_iterations AS n JOIN shard.iteration_stats AS s
      ON s.run_id = n.shard_run_id AND s.iteration = n.iteration
    """,
    // 16-17: whole evaluation sets the main store lacks (episodes counted).
    """
    CREATE TEMP TABLE merge_eval_sets AS
    SELECT DISTINCT mr.main_id AS run_id, mr.shard_id AS shard_run_id, e.eval_set
    FROM shard.episodes AS e JOIN temp.merge_runs AS mr ON mr.shard_id = e.run_id
    WHERE e.phase = 'eval' AND NOT EXISTS (
      SELECT 1 FROM main.episodes AS m WHERE m.run_id = mr.main_id
        AND m.phase = 'eval' AND ifnull(m.eval_set, '') = e.eval_set
        AND ifnull(m.iteration, -1) = -1)
    """,
    """
    INSERT INTO main.episodes (run_id, phase, eval_set, iteration, position,
      prompt_ref, completion, prompt_score, reward, judge_reward, kl, "return",
      response_length, in_tail)
    SELECT n.run_id, 'eval', e.eval_set, NULL, e.position, mp.main_id, e.completion,
      e.prompt_score, e.reward, e.judge_reward, e.kl, e."return", e.response_length,
      NULL
    FROM temp.merge_eval_sets AS n
      JOIN shard.episodes AS e ON e.run_id = n.shard_run_id AND e.phase = 'eval'
        AND e.eval_set = n.eval_set
      JOIN temp.merge_prompts AS mp ON mp.shard_id = e.prompt_ref
    """,
    // 18: evaluation metrics the main store lacks (counted).
    """
    INSERT OR IGNORE INTO main.evaluations (run_id, eval_set, metric, value)
    SELECT mr.main_id, v.eval_set, v.metric, v.value
    FROM shard.evaluations AS v JOIN temp.merge_runs AS mr ON mr.shard_id = v.run_id
    """,
  ]
}
