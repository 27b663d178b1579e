/// The store's schema: an ordered list of migrations, the version kept in
/// `PRAGMA user_version`.
///
/// Opening a file applies every migration above its version in one
/// transaction; a file with a version above ``Schema/currentVersion`` is
/// refused. Table and column names are the ones in docs/ARCHITECTURE.md;
/// reports are written against them, so they are never renamed.
public enum Schema {
  /// The schema version this build writes.
  public static var currentVersion: Int { migrations.last?.version ?? 0 }

  /// One step of the schema: the SQL that takes a file from `version - 1`
  /// to `version`.
  struct Migration: Sendable {
    let version: Int
    let sql: String
  }

  /// Every migration, in version order starting at 1.
  static let migrations: [Migration] = [Migration(version: 1, sql: version1)]

  /// Version 1: the tables, indexes, checks and the `episode_texts` view.
  static let version1 = """
    CREATE TABLE sweeps (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      spec_text TEXT NOT NULL,
      spec_hash TEXT NOT NULL CHECK (length(spec_hash) = 64),
      created_at TEXT NOT NULL
    );
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      identity TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      task TEXT NOT NULL,
      algorithm TEXT NOT NULL
        CHECK (algorithm IN ('base', 'sft', 'rlhf', 'ra-rlhf')),
      preset TEXT NOT NULL,
      alpha REAL CHECK (alpha IS NULL OR (alpha > 0 AND alpha <= 1)),
      warm_start INTEGER CHECK (warm_start IS NULL OR warm_start >= 0),
      rho REAL CHECK (rho IS NULL OR (rho > 0 AND rho <= 1)),
      seed INTEGER NOT NULL,
      config_json TEXT NOT NULL CHECK (json_valid(config_json)),
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
        ('pending', 'running', 'done', 'failed', 'interrupted', 'crashed')),
      error TEXT,
      iterations_planned INTEGER
        CHECK (iterations_planned IS NULL OR iterations_planned >= 0),
      created_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT,
      heartbeat_at TEXT
    );
    CREATE INDEX runs_by_status ON runs (status);
    CREATE TABLE sweep_runs (
      sweep_id INTEGER NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      PRIMARY KEY (sweep_id, run_id)
    ) WITHOUT ROWID;
    CREATE INDEX sweep_runs_by_run ON sweep_runs (run_id);
    CREATE TABLE provenance (
      run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
      git_commit TEXT,
      git_dirty INTEGER CHECK (git_dirty IS NULL OR git_dirty IN (0, 1)),
      git_diff_hash TEXT,
      swift_version TEXT,
      os TEXT,
      blas TEXT,
      blas_threads INTEGER CHECK (blas_threads IS NULL OR blas_threads >= 1),
      data_checksums_json TEXT
        CHECK (data_checksums_json IS NULL OR json_valid(data_checksums_json)),
      recorded_at TEXT NOT NULL
    );
    CREATE TABLE artifacts (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      content_hash TEXT NOT NULL UNIQUE,
      path TEXT NOT NULL,
      bytes INTEGER NOT NULL CHECK (bytes >= 0),
      created_at TEXT NOT NULL
    );
    CREATE TABLE run_artifacts (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      artifact_id INTEGER NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
      role TEXT NOT NULL,
      PRIMARY KEY (run_id, artifact_id, role)
    ) WITHOUT ROWID;
    CREATE INDEX run_artifacts_by_artifact ON run_artifacts (artifact_id);
    CREATE TABLE iterations (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      iteration INTEGER NOT NULL CHECK (iteration >= 0),
      kept_count INTEGER NOT NULL CHECK (kept_count >= 0),
      return_threshold REAL,
      return_mean REAL,
      return_mean_kept REAL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (run_id, iteration)
    ) WITHOUT ROWID;
    CREATE TABLE iteration_stats (
      run_id INTEGER NOT NULL,
      iteration INTEGER NOT NULL,
      name TEXT NOT NULL,
      value REAL,
      PRIMARY KEY (run_id, iteration, name),
      FOREIGN KEY (run_id, iteration)
        REFERENCES iterations (run_id, iteration) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX iteration_stats_by_name ON iteration_stats (name);
    CREATE TABLE prompts (
      id INTEGER PRIMARY KEY,
      task TEXT NOT NULL,
      prompt_id TEXT NOT NULL,
      class TEXT,
      text TEXT NOT NULL,
      score REAL,
      UNIQUE (task, prompt_id)
    );
    CREATE TABLE episodes (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      phase TEXT NOT NULL CHECK (phase IN ('train', 'eval')),
      eval_set TEXT,
      iteration INTEGER,
      position INTEGER NOT NULL CHECK (position >= 0),
      prompt_ref INTEGER NOT NULL REFERENCES prompts (id),
      completion TEXT NOT NULL,
      prompt_score REAL,
      reward REAL,
      judge_reward REAL,
      kl REAL,
      "return" REAL,
      response_length INTEGER NOT NULL CHECK (response_length >= 0),
      in_tail INTEGER CHECK (in_tail IS NULL OR in_tail IN (0, 1)),
      CHECK ((phase = 'train' AND eval_set IS NULL AND iteration IS NOT NULL
                AND in_tail IS NOT NULL)
          OR (phase = 'eval' AND eval_set IS NOT NULL AND iteration IS NULL
                AND in_tail IS NULL)),
      FOREIGN KEY (run_id, iteration)
        REFERENCES iterations (run_id, iteration) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX episodes_by_key ON episodes
      (run_id, phase, ifnull(eval_set, ''), ifnull(iteration, -1), position);
    CREATE TABLE evaluations (
      run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      eval_set TEXT NOT NULL,
      metric TEXT NOT NULL,
      value REAL,
      PRIMARY KEY (run_id, eval_set, metric)
    ) WITHOUT ROWID;
    CREATE VIEW episode_texts AS
      SELECT e.run_id, e.phase, e.eval_set, e.iteration, e.position,
             p.task, p.prompt_id, p.class, p.text AS prompt_text, e.completion,
             e.prompt_score, e.reward, e.judge_reward, e.kl, e."return",
             e.response_length, e.in_tail
      FROM episodes AS e JOIN prompts AS p ON p.id = e.prompt_ref;
    """
}
