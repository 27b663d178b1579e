/// The id of a row of `artifacts`.
public struct ArtifactID: StoreIdentifier {
  /// The SQLite row id.
  public let rawValue: Int64
  /// The artifact with row id `rawValue`.
  public init(rawValue: Int64) { self.rawValue = rawValue }
}
