/// A summary of a store for `rarlhf db info`: runs by status, row counts and
/// file size.
public struct StoreInfo: Hashable, Sendable, CustomStringConvertible {
  /// The database file.
  public var path: String
  /// The schema version (`PRAGMA user_version`).
  public var schemaVersion: Int
  /// The size of the database file plus its WAL, in bytes.
  public var fileBytes: Int
  /// The number of runs in each status (every status present, zeros too).
  public var runsByStatus: [RunStatus: Int]
  /// The number of rows in each table, keyed by table name.
  public var rowCounts: [String: Int]

  /// Lines for a terminal: path, version, size, runs by status, row counts.
  public var description: String {
    var lines = [
      "path: \(path)", "schema version: \(schemaVersion)", "file bytes: \(fileBytes)",
      "runs:",
    ]
    for status in RunStatus.allCases {
      lines.append("  \(status.rawValue): \(runsByStatus[status] ?? 0)")
    }
    lines.append("rows:")
    for (table, count) in rowCounts.sorted(by: { $0.key < $1.key }) {
      lines.append("  \(table): \(count)")
    }
    return lines.joined(separator: "\n")
  }
}
