/// The row id of a stored entity, typed so a run id cannot be passed where a
/// prompt id is expected.
public protocol StoreIdentifier: Hashable, Comparable, Sendable, SQLValueConvertible,
  CustomStringConvertible
{
  /// The SQLite row id.
  var rawValue: Int64 { get }
  /// The identifier for row id `rawValue`.
  init(rawValue: Int64)
}

extension StoreIdentifier {
  /// The row id as an integer value.
  public var sqlValue: SQLValue { .integer(rawValue) }
  /// An integer column value.
  public init?(sqlValue value: SQLValue) {
    guard case .integer(let number) = value else { return nil }
    self.init(rawValue: number)
  }
  /// The row id in decimal.
  public var description: String { String(rawValue) }
  /// Orders by row id, which is the order of insertion.
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
