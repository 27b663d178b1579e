/// A file a run used or made (a checkpoint, a tokenizer), as stored in
/// `artifacts`; unique by content hash.
public struct ArtifactRecord: Hashable, Sendable {
  /// What the file is: `checkpoint`, `tokenizer`, `reward-model`, ...
  public var kind: String
  /// Hex SHA-256 of the file's bytes.
  public var contentHash: String
  /// Where the file is, relative to the project or absolute.
  public var path: String
  /// The file's size in bytes (≥ 0).
  public var bytes: Int

  /// An artifact; see the properties.
  public init(kind: String, contentHash: String, path: String, bytes: Int) {
    self.kind = kind
    self.contentHash = contentHash
    self.path = path
    self.bytes = bytes
  }
}
