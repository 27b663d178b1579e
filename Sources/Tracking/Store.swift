import Foundation

/// The tracking database of rarlhf: sweeps, runs, iterations, episodes,
/// evaluations, artifacts and provenance in one SQLite file (schema in
/// docs/ARCHITECTURE.md).
///
/// Every write is one `BEGIN IMMEDIATE` transaction, so several processes can
/// record different runs into the same file at once (WAL journal, busy
/// timeout), readers see only whole iterations, and a process killed at any
/// moment leaves every committed iteration complete. A store is safe to share
/// between threads: calls are serialised by a lock.
///
/// ```swift
/// let store = try Store(at: URL(fileURLWithPath: "runs/rarlhf.sqlite"))
/// let run = try store.register(spec, in: sweep)
/// try store.setStatus(.running, of: run)
/// try store.record(iteration, of: run)
/// ```
public final class Store: @unchecked Sendable {
  /// How to open a store.
  public struct Options: Sendable {
    /// Read-write (creating the file and its schema) or read-only.
    public var access: Connection.Access
    /// How long to wait for another process's write lock, in milliseconds.
    public var busyTimeout: Int32
    /// A cap on the file size in pages (`PRAGMA max_page_count`); writes
    /// past it fail with ``TrackingError/full(path:sql:)``. For tests of a
    /// full disk; `nil` for no cap.
    public var maximumPageCount: Int?

    /// Options; the defaults open read-write with a 60 s busy timeout.
    public init(
      access: Connection.Access = .readWrite, busyTimeout: Int32 = 60_000,
      maximumPageCount: Int? = nil
    ) {
      self.access = access
      self.busyTimeout = busyTimeout
      self.maximumPageCount = maximumPageCount
    }

    /// Read-only access with the default timeout.
    public static var readOnly: Options { Options(access: .readOnly) }
  }

  /// The database file.
  public let url: URL
  private let connection: Connection
  private let lock = NSLock()
  /// The migrations this store was opened with; shards merged into it are
  /// brought to the same version.
  let migrations: [Schema.Migration]

  /// Opens the store at `url`, creating it (and its folder's file) when
  /// missing and upgrading an older schema.
  ///
  /// - Throws: ``TrackingError`` naming the file when it is not an SQLite
  ///   database, is truncated or corrupt, cannot be written, or has a newer
  ///   schema than ``Schema/currentVersion``. Nothing is written to a file
  ///   that is refused.
  public convenience init(at url: URL, options: Options = Options()) throws(TrackingError) {
    try self.init(at: url, options: options, migrations: Schema.migrations)
  }

  /// Opens the store with a given list of migrations (tests of upgrades).
  init(
    at url: URL, options: Options, migrations: [Schema.Migration]
  ) throws(TrackingError) {
    self.url = url
    self.migrations = migrations
    connection = try Connection(
      path: url.path, access: options.access, busyTimeout: options.busyTimeout)
    try Schema.migrate(connection, migrations: migrations)
    if let pages = options.maximumPageCount { try connection.limitSize(toPages: pages) }
    // Reads the whole schema, so a damaged schema page fails here.
    _ = try connection.scalar("SELECT count(*) FROM sqlite_schema WHERE sql IS NOT NULL")
  }

  // MARK: - Generic reads

  /// The rows of one SQL statement against the schema, with `bindings` for
  /// its `?` parameters, in order.
  ///
  /// ```swift
  /// let rows = try store.rows(
  ///   "SELECT iteration, value FROM iteration_stats WHERE run_id = ? AND name = ?",
  ///   [run.sqlValue, "env/reward_mean"])
  /// ```
  public func rows(_ sql: String, _ bindings: [SQLValue] = []) throws(TrackingError) -> [Row] {
    try locked { connection throws(TrackingError) in try connection.rows(sql, bindings) }
  }

  /// Calls `body` with each row of `sql` in turn, without holding all rows in
  /// memory (for reads over many episodes). The store is locked meanwhile.
  public func forEachRow(
    _ sql: String, _ bindings: [SQLValue] = [],
    _ body: (Row) throws(TrackingError) -> Void
  ) throws(TrackingError) {
    try locked { connection throws(TrackingError) in
      try connection.forEachRow(sql, bindings) { statement throws(TrackingError) in
        try body(statement.row())
      }
    }
  }

  /// The file's schema version (`PRAGMA user_version`).
  public func schemaVersion() throws(TrackingError) -> Int {
    try locked { connection throws(TrackingError) in try Schema.version(of: connection) }
  }

  /// Throws unless `PRAGMA quick_check` finds the file sound: a check of
  /// every page (without the index contents `integrityProblems` compares)
  /// for commands that are about to write, so that damage is reported
  /// before anything is added to a damaged file.
  ///
  /// - Throws: ``TrackingError/corrupt(path:detail:)`` with the first
  ///   problem and how many there are.
  public func checkSound() throws(TrackingError) {
    let problems = try locked { connection throws(TrackingError) in
      try connection.integrityProblems(quick: true)
    }
    guard let first = problems.first else { return }
    let more = problems.count > 1 ? " and \(problems.count - 1) more problems" : ""
    throw .corrupt(path: url.path, detail: "quick_check: \(first)\(more)")
  }

  /// The problems `PRAGMA integrity_check` finds; empty when the file is sound.
  public func integrityProblems() throws(TrackingError) -> [String] {
    try locked { connection throws(TrackingError) in try connection.integrityProblems() }
  }

  /// Runs `body` with the store's connection, under the store's lock: for SQL
  /// the typed API does not cover. Writes must go through
  /// ``Connection/transaction(_:_:)``.
  public func withConnection<Result>(
    _ body: (Connection) throws(TrackingError) -> Result
  ) throws(TrackingError) -> Result {
    try locked(body)
  }

  // MARK: - Internal

  /// Runs `body` with the connection while holding the lock.
  func locked<Result>(
    _ body: (Connection) throws(TrackingError) -> Result
  ) throws(TrackingError) -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(connection)
  }

  /// The path used in messages.
  var path: String { url.path }
}
