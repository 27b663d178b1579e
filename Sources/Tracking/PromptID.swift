/// The id of a row of `prompts`.
public struct PromptID: StoreIdentifier {
  /// The SQLite row id.
  public let rawValue: Int64
  /// The prompt with row id `rawValue`.
  public init(rawValue: Int64) { self.rawValue = rawValue }
}
