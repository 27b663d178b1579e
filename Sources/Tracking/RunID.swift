/// The id of a row of `runs`.
public struct RunID: StoreIdentifier {
  /// The SQLite row id.
  public let rawValue: Int64
  /// The run with row id `rawValue`.
  public init(rawValue: Int64) { self.rawValue = rawValue }
}
