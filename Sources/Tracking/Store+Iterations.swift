import Foundation

extension Store {
  // MARK: - Prompts

  /// Inserts or updates prompts by task and prompt id, in one transaction,
  /// and returns their ids in the order given.
  ///
  /// An update replaces the class and text; a `nil` score keeps the score
  /// already stored.
  @discardableResult
  public func upsert(prompts: [PromptRecord]) throws(TrackingError) -> [PromptID] {
    try write { connection throws(TrackingError) in
      let statement = try connection.cachedStatement(
        """
        INSERT INTO prompts (task, prompt_id, class, text, score) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (task, prompt_id) DO UPDATE SET class = excluded.class,
          text = excluded.text, score = coalesce(excluded.score, prompts.score)
        RETURNING id
        """)
      var ids: [PromptID] = []
      ids.reserveCapacity(prompts.count)
      for prompt in prompts {
        statement.reset()
        try statement.bind(prompt.task, at: 1)
        try statement.bind(prompt.promptID, at: 2)
        try statement.bind(prompt.promptClass, at: 3)
        try statement.bind(prompt.text, at: 4)
        try statement.bind(prompt.score, at: 5)
        guard try statement.step() else {
          throw .sqlite(path: path, code: 0, message: "no prompt id", sql: statement.sql)
        }
        ids.append(PromptID(rawValue: statement.int64(at: 0)))
        statement.reset()
      }
      return ids
    }
  }

  // MARK: - Iterations

  /// Records one PPO iteration of `run` in one transaction: its row in
  /// `iterations`, its statistics in `iteration_stats`, every episode in
  /// `episodes` (position = index), and a heartbeat. The iteration is then
  /// either wholly recorded or absent, whatever happens to the process.
  ///
  /// - Throws: ``TrackingError/iterationNotAfterLast(run:iteration:last:)``
  ///   when the iteration is not above the last one recorded (a resumed run
  ///   continues at ``lastIteration(of:)`` + 1);
  ///   ``TrackingError/unknownRun(id:)``;
  ///   ``TrackingError/invalidValue(field:value:allowed:)`` for a negative
  ///   iteration, a kept count outside 0...episodes, or a training episode
  ///   without `inTail`; ``TrackingError/full(path:sql:)`` when the disk is full.
  public func record(
    _ iteration: IterationRecord, of run: RunID, at time: Date = Date()
  ) throws(TrackingError) {
    try validate(iteration)
    let now = Timestamp.text(time)
    try write { connection throws(TrackingError) in
      try requireRun(run, connection)
      if let last = try lastIteration(of: run, connection), iteration.iteration <= last {
        throw .iterationNotAfterLast(run: run.rawValue, iteration: iteration.iteration, last: last)
      }
      try connection.cachedStatement(
        """
        INSERT INTO iterations (run_id, iteration, kept_count, return_threshold,
          return_mean, return_mean_kept, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        """
      ).run([
        run.sqlValue, .integer(Int64(iteration.iteration)),
        .integer(Int64(iteration.keptCount)), iteration.returnThreshold.sqlValue,
        iteration.returnMean.sqlValue, iteration.returnMeanKept.sqlValue, .text(now),
      ])
      let statistic = try connection.cachedStatement(
        "INSERT INTO iteration_stats (run_id, iteration, name, value) VALUES (?, ?, ?, ?)")
      for (name, value) in iteration.statistics {
        try statistic.run([
          run.sqlValue, .integer(Int64(iteration.iteration)), .text(name), .real(value),
        ])
      }
      try insert(
        iteration.episodes, of: run, iteration: iteration.iteration, evalSet: nil, connection)
      try connection.cachedStatement("UPDATE runs SET heartbeat_at = ? WHERE id = ?")
        .run([.text(now), run.sqlValue])
    }
  }

  // MARK: - Evaluations

  /// Records the evaluation episodes of `run` on `evalSet` in one
  /// transaction (position = index).
  ///
  /// - Throws: ``TrackingError/evaluationAlreadyRecorded(run:evalSet:)`` when
  ///   this run already has episodes on this set.
  public func record(
    evaluationEpisodes episodes: [EpisodeRecord], of run: RunID, on evalSet: String
  ) throws(TrackingError) {
    try validate(episodes, training: false)
    try write { connection throws(TrackingError) in
      try requireRun(run, connection)
      let existing = try connection.scalar(
        """
        SELECT 1 FROM episodes WHERE run_id = ? AND phase = 'eval'
          AND ifnull(eval_set, '') = ? AND ifnull(iteration, -1) = -1 LIMIT 1
        """, [run.sqlValue, .text(evalSet)])
      if existing != nil {
        throw .evaluationAlreadyRecorded(run: run.rawValue, evalSet: evalSet)
      }
      try insert(episodes, of: run, iteration: nil, evalSet: evalSet, connection)
    }
  }

  /// Records named metrics of `run` on `evalSet` (`reward_mean`,
  /// `reward_cvar_0.1`, `perplexity`, ...); a metric recorded again takes the
  /// new value. NaN is stored as `NULL`.
  public func record(
    evaluationMetrics metrics: [String: Double], of run: RunID, on evalSet: String
  ) throws(TrackingError) {
    try write { connection throws(TrackingError) in
      try requireRun(run, connection)
      let statement = try connection.cachedStatement(
        """
        INSERT INTO evaluations (run_id, eval_set, metric, value) VALUES (?, ?, ?, ?)
        ON CONFLICT (run_id, eval_set, metric) DO UPDATE SET value = excluded.value
        """)
      for (metric, value) in metrics.sorted(by: { $0.key < $1.key }) {
        try statement.run([run.sqlValue, .text(evalSet), .text(metric), .real(value)])
      }
    }
  }

  // MARK: - Private

  func requireRun(_ run: RunID, _ connection: Connection) throws(TrackingError) {
    let statement = try connection.cachedStatement("SELECT 1 FROM runs WHERE id = ?")
    statement.reset()
    try statement.bind(run.rawValue, at: 1)
    defer { statement.reset() }
    guard try statement.step() else { throw .unknownRun(id: run.rawValue) }
  }

  private func validate(_ iteration: IterationRecord) throws(TrackingError) {
    guard iteration.iteration >= 0 else {
      throw .invalidValue(field: "iteration", value: "\(iteration.iteration)", allowed: "≥ 0")
    }
    guard (0...iteration.episodes.count).contains(iteration.keptCount) else {
      throw .invalidValue(
        field: "kept count α′ of iteration \(iteration.iteration)",
        value: "\(iteration.keptCount)",
        allowed: "in 0...\(iteration.episodes.count) (the number of episodes)")
    }
    try validate(iteration.episodes, training: true)
  }

  private func validate(_ episodes: [EpisodeRecord], training: Bool) throws(TrackingError) {
    for (position, episode) in episodes.enumerated() {
      if episode.responseLength < 0 {
        throw .invalidValue(
          field: "response length of episode \(position)",
          value: "\(episode.responseLength)", allowed: "≥ 0")
      }
      if training, episode.inTail == nil {
        throw .invalidValue(
          field: "in-tail flag of training episode \(position)", value: "nil",
          allowed: "true or false")
      }
    }
  }

  /// Inserts `episodes` with the cached statement for their phase, binding
  /// typed values directly: this loop is the store's hot path.
  private func insert(
    _ episodes: [EpisodeRecord], of run: RunID, iteration: Int?, evalSet: String?,
    _ connection: Connection
  ) throws(TrackingError) {
    let training = evalSet == nil
    let statement = try connection.cachedStatement(
      """
      INSERT INTO episodes (run_id, phase, eval_set, iteration, position, prompt_ref,
        completion, prompt_score, reward, judge_reward, kl, "return", response_length,
        in_tail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """)
    statement.reset()
    try statement.bind(run.rawValue, at: 1)
    try statement.bind(training ? "train" : "eval", at: 2)
    try statement.bind(evalSet, at: 3)
    try statement.bind(iteration, at: 4)
    defer { statement.reset() }
    for (position, episode) in episodes.enumerated() {
      try statement.bind(Int64(position), at: 5)
      try statement.bind(episode.prompt.rawValue, at: 6)
      try statement.bind(episode.completion, at: 7)
      try bindReal(episode.promptScore, statement, 8)
      try bindReal(episode.reward, statement, 9)
      try bindReal(episode.judgeReward, statement, 10)
      try bindReal(episode.kl, statement, 11)
      try bindReal(episode.returnValue, statement, 12)
      try statement.bind(Int64(episode.responseLength), at: 13)
      if training, let inTail = episode.inTail {
        try statement.bind(inTail ? 1 : 0, at: 14)
      } else {
        try statement.bind(SQLValue.null, at: 14)
      }
      while try statement.step() {}
      statement.reset()
    }
  }

  private func bindReal(
    _ value: Double?, _ statement: Statement, _ index: Int32
  ) throws(TrackingError) {
    if let value {
      try statement.bind(value, at: index)
    } else {
      try statement.bind(SQLValue.null, at: index)
    }
  }
}
