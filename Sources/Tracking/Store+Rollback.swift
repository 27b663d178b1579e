import Foundation

extension Store {
  // MARK: - Rolling back a run

  /// Deletes, in one transaction, the training iterations of `run` after
  /// `iteration` (all of them when `iteration` is nil) with their statistics
  /// and episodes, and every evaluation episode and metric of `run`: what a
  /// run resumed from a checkpoint at `iteration` will record again.
  ///
  /// - Returns: the number of iterations deleted.
  /// - Throws: ``TrackingError/unknownRun(id:)``;
  ///   ``TrackingError/invalidValue(field:value:allowed:)`` for a negative
  ///   iteration.
  @discardableResult
  public func discardProgress(
    of run: RunID, after iteration: Int?
  ) throws(TrackingError) -> Int {
    if let iteration, iteration < 0 {
      throw .invalidValue(
        field: "iteration to keep up to", value: "\(iteration)", allowed: "≥ 0, or nil for none")
    }
    let kept = SQLValue.integer(Int64(iteration ?? -1))
    return try write { connection throws(TrackingError) in
      try requireRun(run, connection)
      let count =
        try connection.scalar(
          "SELECT count(*) FROM iterations WHERE run_id = ? AND iteration > ?",
          [run.sqlValue, kept]
        ).flatMap { value -> Int? in
          guard case .integer(let number) = value else { return nil }
          return Int(number)
        } ?? 0
      for sql in [
        "DELETE FROM episodes WHERE run_id = ? AND phase = 'train' AND iteration > ?",
        "DELETE FROM iteration_stats WHERE run_id = ? AND iteration > ?",
        "DELETE FROM iterations WHERE run_id = ? AND iteration > ?",
      ] {
        try connection.cachedStatement(sql).run([run.sqlValue, kept])
      }
      for sql in [
        "DELETE FROM episodes WHERE run_id = ? AND phase = 'eval'",
        "DELETE FROM evaluations WHERE run_id = ?",
      ] {
        try connection.cachedStatement(sql).run([run.sqlValue])
      }
      return count
    }
  }
}
