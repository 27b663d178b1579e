import Foundation

extension Store {
  /// The tables counted by ``info(staleAfter:now:)``, in schema order.
  public static let tables = [
    "sweeps", "runs", "sweep_runs", "provenance", "artifacts", "run_artifacts",
    "iterations", "iteration_stats", "prompts", "episodes", "evaluations",
  ]

  /// Runs by status, row counts of every table and the file size, read in
  /// one snapshot.
  ///
  /// - Parameter limit: when given, `running` runs silent for longer than
  ///   `limit` seconds are counted as `crashed`.
  public func info(
    staleAfter limit: TimeInterval? = nil, now: Date = Date()
  ) throws(TrackingError) -> StoreInfo {
    let runs = try self.runs(staleAfter: limit, now: now)
    var byStatus = Dictionary(uniqueKeysWithValues: RunStatus.allCases.map { ($0, 0) })
    for run in runs { byStatus[run.status, default: 0] += 1 }
    let (version, counts) = try locked { connection throws(TrackingError) in
      try connection.transaction(.deferred) { () throws(TrackingError) in
        var counts: [String: Int] = [:]
        for table in Self.tables {
          let count = try connection.scalar("SELECT count(*) FROM \(table)")
          counts[table] = count.flatMap(Int.init(sqlValue:)) ?? 0
        }
        return (try Schema.version(of: connection), counts)
      }
    }
    let size = [path, path + "-wal"].compactMap {
      (try? FileManager.default.attributesOfItem(atPath: $0))
        .flatMap { ($0[.size] as? NSNumber)?.intValue }
    }.reduce(0, +)
    return StoreInfo(
      path: path, schemaVersion: version, fileBytes: size, runsByStatus: byStatus,
      rowCounts: counts)
  }
}
