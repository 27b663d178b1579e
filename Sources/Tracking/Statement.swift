import CSQLite

/// A prepared SQL statement: one `sqlite3_stmt`, compiled with
/// `sqlite3_prepare_v3` and released with `sqlite3_finalize` when the
/// statement is deinitialised.
///
/// Parameters are 1-based, as in SQLite. A statement belongs to the
/// ``Connection`` that prepared it and to its thread of use.
public final class Statement {
  /// The SQL text compiled into this statement.
  public let sql: String
  let handle: OpaquePointer
  /// The connection's handle and file, kept for error messages only, so a
  /// statement does not keep its connection alive (a cached statement would
  /// otherwise form a cycle). `sqlite3_close_v2` defers the close until the
  /// last statement is finalized.
  private let database: OpaquePointer
  private let path: String

  /// Compiles `sql` with `sqlite3_prepare_v3`; `persistent` hints SQLite that
  /// the statement will be reused many times (`SQLITE_PREPARE_PERSISTENT`).
  init(connection: Connection, sql: String, persistent: Bool) throws(TrackingError) {
    var statement: OpaquePointer?
    var tail: UnsafePointer<CChar>?
    let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
    let code = sql.withCString { text in
      sqlite3_prepare_v3(connection.handle, text, -1, flags, &statement, &tail)
    }
    guard code == SQLITE_OK, let statement else {
      sqlite3_finalize(statement)
      throw connection.error(code: code, sql: sql)
    }
    let rest = tail.map { String(cString: $0) } ?? ""
    guard rest.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
      sqlite3_finalize(statement)
      throw .invalidValue(
        field: "SQL", value: "'\(sql)'", allowed: "exactly one statement")
    }
    self.sql = sql
    self.handle = statement
    self.database = connection.handle
    self.path = connection.path
  }

  deinit { sqlite3_finalize(handle) }

  // MARK: - Binding

  /// Binds `value` to parameter `index` (1-based) with the matching
  /// `sqlite3_bind_*` function.
  public func bind(_ value: SQLValue, at index: Int32) throws(TrackingError) {
    switch value {
    case .null: try check(sqlite3_bind_null(handle, index))
    case .integer(let number): try bind(number, at: index)
    case .real(let number): try bind(number, at: index)
    case .text(let text): try bind(text, at: index)
    case .blob(let bytes):
      let code = bytes.withUnsafeBytes { buffer in
        sqlite3_bind_blob(
          handle, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
          Int32(buffer.count), Self.transient)
      }
      try check(code)
    }
  }

  /// Binds an integer with `sqlite3_bind_int64`.
  public func bind(_ value: Int64, at index: Int32) throws(TrackingError) {
    try check(sqlite3_bind_int64(handle, index, value))
  }

  /// Binds a double with `sqlite3_bind_double` (NaN is stored as `NULL`).
  public func bind(_ value: Double, at index: Int32) throws(TrackingError) {
    try check(sqlite3_bind_double(handle, index, value))
  }

  /// Binds UTF-8 text with `sqlite3_bind_text`; SQLite copies the bytes.
  public func bind(_ value: String, at index: Int32) throws(TrackingError) {
    var text = value
    let code = text.withUTF8 { buffer -> Int32 in
      guard let base = buffer.baseAddress else {
        // An empty string has no storage; a NULL pointer would bind NULL.
        return sqlite3_bind_text(handle, index, "", 0, Self.transient)
      }
      return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { bytes in
        sqlite3_bind_text(handle, index, bytes, Int32(buffer.count), Self.transient)
      }
    }
    try check(code)
  }

  /// Binds a value that may be absent; `nil` binds `NULL`
  /// (`sqlite3_bind_null`).
  public func bind<Value: SQLValueConvertible>(
    _ value: Value?, at index: Int32
  ) throws(TrackingError) {
    try bind(value?.sqlValue ?? .null, at: index)
  }

  /// Clears all bindings (`sqlite3_clear_bindings`) and binds `values` to
  /// parameters 1 through `values.count`.
  public func bind(_ values: [SQLValue]) throws(TrackingError) {
    let expected = Int(sqlite3_bind_parameter_count(handle))
    guard values.count == expected else {
      throw .invalidValue(
        field: "bindings for `\(sql)`", value: "\(values.count) values",
        allowed: "\(expected) values, one per parameter")
    }
    sqlite3_clear_bindings(handle)
    for (offset, value) in values.enumerated() {
      try bind(value, at: Int32(offset + 1))
    }
  }

  // MARK: - Stepping

  /// Rewinds the statement for another execution (`sqlite3_reset`); bindings
  /// are kept.
  public func reset() {
    // sqlite3_reset repeats the last step's error, which was already reported.
    sqlite3_reset(handle)
  }

  /// Advances to the next row with `sqlite3_step`; `true` when a row is ready
  /// to read, `false` when the statement is done.
  public func step() throws(TrackingError) -> Bool {
    let code = sqlite3_step(handle)
    switch code {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let error = Connection.error(
        code: code, database: database, path: path, sql: sql)
      sqlite3_reset(handle)
      throw error
    }
  }

  /// Resets, binds `values`, and steps until done: for statements that
  /// return no rows (`INSERT`, `UPDATE`, `DELETE`).
  public func run(_ values: [SQLValue]) throws(TrackingError) {
    reset()
    try bind(values)
    while try step() {}
    reset()
  }

  /// Steps until done with the current bindings, then resets.
  public func run() throws(TrackingError) {
    defer { reset() }
    while try step() {}
  }

  // MARK: - Columns

  /// The number of result columns (`sqlite3_column_count`).
  public var columnCount: Int32 { sqlite3_column_count(handle) }

  /// The name of result column `index` (0-based; `sqlite3_column_name`).
  public func columnName(at index: Int32) -> String {
    sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "?"
  }

  /// The value of column `index` (0-based) of the current row, read with
  /// `sqlite3_column_type` and the matching `sqlite3_column_*` function.
  public func value(at index: Int32) -> SQLValue {
    switch sqlite3_column_type(handle, index) {
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
    case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
    case SQLITE_TEXT: return .text(text(at: index))
    case SQLITE_BLOB:
      let count = Int(sqlite3_column_bytes(handle, index))
      guard let base = sqlite3_column_blob(handle, index), count > 0 else {
        return .blob([])
      }
      return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
    default: return .null
    }
  }

  /// Column `index` (0-based) as an integer (`sqlite3_column_int64`).
  public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

  /// Column `index` (0-based) as a double (`sqlite3_column_double`).
  public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

  /// Column `index` (0-based) as text (`sqlite3_column_text`); `NULL` reads "".
  public func text(at index: Int32) -> String {
    guard let bytes = sqlite3_column_text(handle, index) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, index))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }

  /// Whether column `index` (0-based) is `NULL` (`sqlite3_column_type`).
  public func isNull(at index: Int32) -> Bool {
    sqlite3_column_type(handle, index) == SQLITE_NULL
  }

  /// The current row as a ``Row``.
  public func row() -> Row {
    let count = columnCount
    return Row(
      columns: (0..<count).map(columnName(at:)),
      values: (0..<count).map(value(at:)))
  }

  // MARK: - Private

  /// `SQLITE_TRANSIENT`: SQLite copies bound text and blobs before returning.
  private static var transient: sqlite3_destructor_type {
    unsafeBitCast(-1, to: sqlite3_destructor_type.self)
  }

  private func check(_ code: Int32) throws(TrackingError) {
    guard code == SQLITE_OK else {
      throw Connection.error(code: code, database: database, path: path, sql: sql)
    }
  }
}
