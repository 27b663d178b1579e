import Checksums
import Foundation

/// One SQLite value: the five storage classes of SQLite's type system.
///
/// Bindings passed to ``Store/rows(_:_:)`` and values read from its rows are
/// `SQLValue`s; literals work directly (`[3, "imdb", 0.5, nil]`).
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

extension SQLValue: ExpressibleByNilLiteral {
  /// `nil` as ``null``.
  public init(nilLiteral: ()) { self = .null }
}

/// A Swift type that converts to and from an ``SQLValue``.
///
/// Used for typed reads with ``Row/get(_:as:)`` and typed bindings.
public protocol SQLValueConvertible {
  /// The value to bind.
  var sqlValue: SQLValue { get }
  /// The Swift value read from `value`, or `nil` when the storage class does
  /// not fit (text for an `Int`, `NULL` for a non-optional).
  init?(sqlValue value: SQLValue)
}

extension Int64: SQLValueConvertible {
  /// The integer as ``SQLValue/integer(_:)``.
  public var sqlValue: SQLValue { .integer(self) }
  /// An integer column value.
  public init?(sqlValue value: SQLValue) {
    guard case .integer(let number) = value else { return nil }
    self = number
  }
}

extension Int: SQLValueConvertible {
  /// The integer as ``SQLValue/integer(_:)``.
  public var sqlValue: SQLValue { .integer(Int64(self)) }
  /// An integer column value.
  public init?(sqlValue value: SQLValue) {
    guard case .integer(let number) = value else { return nil }
    self = Int(number)
  }
}

extension Double: SQLValueConvertible {
  /// The number as ``SQLValue/real(_:)``; NaN is stored as `NULL`.
  public var sqlValue: SQLValue { .real(self) }
  /// A real or integer column value (SQLite may store whole reals as integers).
  public init?(sqlValue value: SQLValue) {
    switch value {
    case .real(let number): self = number
    case .integer(let number): self = Double(number)
    default: return nil
    }
  }
}

extension Bool: SQLValueConvertible {
  /// `true` as 1, `false` as 0.
  public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
  /// An integer column holding 0 or 1.
  public init?(sqlValue value: SQLValue) {
    guard case .integer(let number) = value, number == 0 || number == 1 else {
      return nil
    }
    self = number == 1
  }
}

extension String: SQLValueConvertible {
  /// The text as ``SQLValue/text(_:)``.
  public var sqlValue: SQLValue { .text(self) }
  /// A text column value.
  public init?(sqlValue value: SQLValue) {
    guard case .text(let text) = value else { return nil }
    self = text
  }
}

extension Array: SQLValueConvertible where Element == UInt8 {
  /// The bytes as ``SQLValue/blob(_:)``.
  public var sqlValue: SQLValue { .blob(self) }
  /// A blob column value.
  public init?(sqlValue value: SQLValue) {
    guard case .blob(let bytes) = value else { return nil }
    self = bytes
  }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
  /// `nil` as ``SQLValue/null``.
  public var sqlValue: SQLValue { self?.sqlValue ?? .null }
  /// `NULL` as `nil`, otherwise the wrapped type's conversion.
  public init?(sqlValue value: SQLValue) {
    if value == .null {
      self = .none
    } else if let wrapped = Wrapped(sqlValue: value) {
      self = .some(wrapped)
    } else {
      return nil
    }
  }
}
