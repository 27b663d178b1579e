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
