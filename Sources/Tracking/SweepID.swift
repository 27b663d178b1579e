/// The id of a row of `sweeps`.
public struct SweepID: StoreIdentifier {
  /// The SQLite row id.
  public let rawValue: Int64
  /// The sweep with row id `rawValue`.
  public init(rawValue: Int64) { self.rawValue = rawValue }
}
