import Foundation

/// Everything that can go wrong in the tracking store.
///
/// Each case names the database file (or the run, iteration or column) it is
/// about and says what is allowed, so a message read on its own is enough to
/// act on. SQLite failures keep the result code, the `sqlite3_errmsg` text and
/// the SQL that failed.
public enum TrackingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// An SQLite call failed with `code` (the extended result code).
  case sqlite(path: String, code: Int32, message: String, sql: String?)
  /// The file exists but is not an SQLite database.
  case notADatabase(path: String)
  /// The file is an SQLite database but is truncated or damaged.
  case corrupt(path: String, detail: String)
  /// The file or its folder cannot be written.
  case readOnly(path: String, detail: String)
  /// The file or its folder cannot be opened or created.
  case cannotOpen(path: String, detail: String)
  /// The disk, or the size limit set with `maximumPageCount`, is full.
  case full(path: String, sql: String?)
  /// The file has a newer schema than this build of rarlhf understands.
  case newerSchema(path: String, fileVersion: Int, supportedVersion: Int)
  /// The file is an SQLite database with tables but no rarlhf schema.
  case foreignDatabase(path: String, tables: [String])
  /// No run has this row id.
  case unknownRun(id: Int64)
  /// A run with this identity is already registered with another configuration.
  case identityConflict(identity: String)
  /// A value is outside what the schema allows.
  case invalidValue(field: String, value: String, allowed: String)
  /// A run cannot go from its current status to the one asked for.
  case invalidTransition(run: Int64, from: RunStatus, to: RunStatus)
  /// The iteration is already recorded, or comes before the last one recorded.
  case iterationNotAfterLast(run: Int64, iteration: Int, last: Int)
  /// The evaluation episodes of this run and set are already recorded.
  case evaluationAlreadyRecorded(run: Int64, evalSet: String)
  /// A query result has no column with this name.
  case unknownColumn(name: String, available: [String])
  /// A column value does not have the type the caller asked for.
  case typeMismatch(column: String, value: String, expected: String)
  /// A file next to the database (a CSV export, a shard) cannot be written or read.
  case fileError(path: String, detail: String)

  /// The message shown to a person: the file or value first, then what is allowed.
  public var description: String {
    switch self {
    case .sqlite(let path, let code, let message, let sql):
      let statement = sql.map { ", in `\(Self.clip($0))`" } ?? ""
      return "\(path): SQLite error \(code) (\(message))\(statement)"
    case .notADatabase(let path):
      return "\(path): not an SQLite database "
        + "(expected a file that starts with 'SQLite format 3', or an empty file)"
    case .corrupt(let path, let detail):
      return "\(path): the database is truncated or corrupt (\(detail)); "
        + "nothing was written to it; restore it from a copy or merge its run shards"
    case .readOnly(let path, let detail):
      return "\(path): cannot write (\(detail)); "
        + "the store needs a writable file in a writable folder"
    case .cannotOpen(let path, let detail):
      return "\(path): cannot open or create the database (\(detail))"
    case .full(let path, let sql):
      let statement = sql.map { ", in `\(Self.clip($0))`" } ?? ""
      return "\(path): database or disk is full\(statement); the transaction was "
        + "rolled back and everything recorded before it is intact"
    case .newerSchema(let path, let fileVersion, let supportedVersion):
      return "\(path): schema version \(fileVersion) is newer than this rarlhf "
        + "supports (up to \(supportedVersion)); use a newer rarlhf to open it"
    case .foreignDatabase(let path, let tables):
      return "\(path): an SQLite database that is not a rarlhf store "
        + "(user_version 0 with tables \(tables.joined(separator: ", "))); "
        + "expected an empty file or a rarlhf store"
    case .unknownRun(let id):
      return "unknown run \(id) (expected the id of a registered run)"
    case .identityConflict(let identity):
      return "run identity \(identity) is already registered with a different "
        + "configuration JSON (expected the same configuration for the same identity)"
    case .invalidValue(let field, let value, let allowed):
      return "\(field) must be \(allowed), got \(value)"
    case .invalidTransition(let run, let from, let to):
      let allowed = from.allowedNext.map(\.rawValue).joined(separator: ", ")
      return "run \(run) cannot go from \(from.rawValue) to \(to.rawValue) "
        + "(allowed from \(from.rawValue): \(allowed.isEmpty ? "none" : allowed))"
    case .iterationNotAfterLast(let run, let iteration, let last):
      return "run \(run): iteration \(iteration) is already recorded or out of "
        + "order (last recorded: \(last); expected an iteration above \(last))"
    case .evaluationAlreadyRecorded(let run, let evalSet):
      return "run \(run): evaluation episodes on '\(evalSet)' are already recorded "
        + "(each run and evaluation set is recorded once)"
    case .unknownColumn(let name, let available):
      return "no column '\(name)' in the result (columns: "
        + "\(available.joined(separator: ", ")))"
    case .typeMismatch(let column, let value, let expected):
      return "column '\(column)' holds \(value), expected \(expected)"
    case .fileError(let path, let detail):
      return "\(path): \(detail)"
    }
  }

  /// SQL shortened to one readable line for messages.
  private static func clip(_ sql: String) -> String {
    let line = sql.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .joined(separator: " ")
    return line.count > 160 ? String(line.prefix(157)) + "..." : line
  }
}
