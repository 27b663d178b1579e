import Checksums
import Foundation

/// One SQLite value: the five storage classes of SQLite's type system.
///
/// Bindings passed to ``Store/rows(_:_:)`` and values read from its rows are
/// `SQLValue`s; literals work directly (`[3, "imdb", 0.5]`; `NULL` is `.null`, not `nil`,
/// so an absent `SQLValue?` is never confused with SQL `NULL`).
public enum SQLValue: Hashable, Sendable {
  /// SQL `NULL`.
  case null
  /// A 64-bit signed integer.
  case integer(Int64)
  /// An IEEE 754 double. SQLite stores NaN as `NULL`.
  case real(Double)
  /// UTF-8 text.
  case text(String)
  /// Raw bytes.
  case blob([UInt8])

  /// The value as a short literal for messages (`NULL`, `3`, `'imdb'`, `x'0a'`).
  public var literal: String {
    switch self {
    case .null: "NULL"
    case .integer(let value): String(value)
    case .real(let value): String(value)
    case .text(let value): "'\(value.replacingOccurrences(of: "'", with: "''"))'"
    case .blob(let bytes): "x'\(bytes.hexString)'"
    }
  }
}

extension SQLValue: ExpressibleByIntegerLiteral {
  /// An integer literal as ``integer(_:)``.
  public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension SQLValue: ExpressibleByFloatLiteral {
  /// A floating-point literal as ``real(_:)``.
  public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLValue: ExpressibleByStringLiteral {
  /// A string literal as ``text(_:)``.
  public init(stringLiteral value: String) { self = .text(value) }
}
