extension Schema {
  /// Brings the file behind `connection` to the last of `migrations`.
  ///
  /// A file at that version is left alone; an older one is upgraded in one
  /// `BEGIN IMMEDIATE` transaction (another process that upgraded it first
  /// is noticed after the lock is taken); a newer one, or a database with
  /// tables but version 0, is refused. A read-only connection is only checked.
  static func migrate(
    _ connection: Connection, migrations: [Migration] = migrations
  ) throws(TrackingError) {
    let supported = migrations.last?.version ?? 0
    let found = try version(of: connection)
    if found > supported {
      throw .newerSchema(
        path: connection.path, fileVersion: found, supportedVersion: supported)
    }
    guard found < supported else { return }
    guard connection.access == .readWrite else {
      throw .readOnly(
        path: connection.path,
        detail: "schema version \(found) needs an upgrade to \(supported), "
          + "which needs a read-write open")
    }
    try connection.transaction(.immediate) { () throws(TrackingError) in
      let current = try version(of: connection)
      if current > supported {
        throw .newerSchema(
          path: connection.path, fileVersion: current, supportedVersion: supported)
      }
      if current == 0 {
        let tables = try connection.rows(
          "SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).compactMap { $0.values.first.flatMap(String.init(sqlValue:)) }
        guard tables.isEmpty else {
          throw .foreignDatabase(path: connection.path, tables: tables)
        }
      }
      for migration in migrations where migration.version > current {
        try connection.execute(migration.sql)
        try connection.execute("PRAGMA user_version = \(migration.version)")
      }
    }
  }

  /// The file's `PRAGMA user_version`.
  static func version(of connection: Connection) throws(TrackingError) -> Int {
    let value = try connection.scalar("PRAGMA user_version")
    return value.flatMap(Int.init(sqlValue:)) ?? 0
  }
}
