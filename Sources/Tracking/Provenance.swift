/// Where a run's results came from, as stored in `provenance` (one row per
/// run; recording again replaces it).
public struct Provenance: Hashable, Sendable {
  /// The git commit of the code.
  public var gitCommit: String?
  /// Whether the work tree had uncommitted changes.
  public var gitDirty: Bool?
  /// Hex SHA-256 of `git diff HEAD` when dirty.
  public var gitDiffHash: String?
  /// `swift --version`'s first line.
  public var swiftVersion: String?
  /// The operating system and kernel.
  public var os: String?
  /// The BLAS library and version.
  public var blas: String?
  /// The number of BLAS threads (≥ 1).
  public var blasThreads: Int?
  /// Hex SHA-256 of each data file used, keyed by its path under the data folder.
  public var dataChecksums: [String: String]

  /// A provenance record; see the properties.
  public init(
    gitCommit: String? = nil, gitDirty: Bool? = nil, gitDiffHash: String? = nil,
    swiftVersion: String? = nil, os: String? = nil, blas: String? = nil,
    blasThreads: Int? = nil, dataChecksums: [String: String] = [:]
  ) {
    self.gitCommit = gitCommit
    self.gitDirty = gitDirty
    self.gitDiffHash = gitDiffHash
    self.swiftVersion = swiftVersion
    self.os = os
    self.blas = blas
    self.blasThreads = blasThreads
    self.dataChecksums = dataChecksums
  }
}
