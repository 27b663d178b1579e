/// One row of a query result: column names and values, read by name with a type.
///
/// ```swift
/// for row in try store.rows("SELECT name, status FROM runs") {
///   let name: String = try row.get("name")
///   let alpha = try row.get("alpha", as: Double?.self)
/// }
/// ```
public struct Row: Hashable, Sendable {
  /// The column names, in `SELECT` order.
  public let columns: [String]
  /// The values, one per column, in `SELECT` order.
  public let values: [SQLValue]

  /// A row with `values[i]` in column `columns[i]`.
  public init(columns: [String], values: [SQLValue]) {
    precondition(columns.count == values.count, "one value per column")
    self.columns = columns
    self.values = values
  }

  /// The raw value of `column`, or `nil` when there is no such column.
  public subscript(column: String) -> SQLValue? {
    columns.firstIndex(of: column).map { values[$0] }
  }

  /// The value of `column` converted to `type`.
  ///
  /// - Throws: ``TrackingError/unknownColumn(name:available:)`` when there is
  ///   no such column, ``TrackingError/typeMismatch(column:value:expected:)``
  ///   when the value does not convert (read `NULL`able columns as optionals).
  public func get<Value: SQLValueConvertible>(
    _ column: String, as type: Value.Type = Value.self
  ) throws(TrackingError) -> Value {
    guard let index = columns.firstIndex(of: column) else {
      throw .unknownColumn(name: column, available: columns)
    }
    guard let value = Value(sqlValue: values[index]) else {
      throw .typeMismatch(
        column: column, value: values[index].literal, expected: "\(Value.self)")
    }
    return value
  }
}
