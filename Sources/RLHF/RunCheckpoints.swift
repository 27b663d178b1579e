import Foundation

/// The folder of one run's policy checkpoints,
/// `checkpoint-<iteration, 6 digits>.safetensors`; the newest `keep` are
/// kept, older ones deleted after each save.
public struct RunCheckpoints: Sendable {
  /// The run's folder; created when first written.
  public let directory: URL
  /// Checkpoints kept on disk; ≥ 1.
  public let keep: Int

  /// The checkpoints of the run whose configuration identity is `identity`,
  /// under `root/runs/`.
  public init(root: URL, identity: String, keep: Int = 2) {
    precondition(keep >= 1, "at least one checkpoint must be kept")
    self.directory = root.appendingPathComponent("runs")
      .appendingPathComponent(String(identity.prefix(16)))
    self.keep = keep
  }

  /// The file of the checkpoint after `iteration`.
  public func url(iteration: Int) -> URL {
    let digits = String(iteration)
    let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    return directory.appendingPathComponent("checkpoint-\(padded).safetensors")
  }

  /// The iterations with a checkpoint, ascending.
  public func iterations() -> [Int] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.compactMap { name -> Int? in
      guard name.hasPrefix("checkpoint-"), name.hasSuffix(".safetensors") else { return nil }
      return Int(name.dropFirst("checkpoint-".count).dropLast(".safetensors".count))
    }.sorted()
  }

  /// The newest checkpoint at or below `iteration`, if any.
  public func newest(atOrBelow iteration: Int) -> (iteration: Int, url: URL)? {
    iterations().last { $0 <= iteration }.map { ($0, url(iteration: $0)) }
  }

  /// Deletes the checkpoints after `iteration` (nil: all of them) — states
  /// the store no longer has — and all but the newest `keep` of the rest.
  public func prune(after iteration: Int?) {
    let all = iterations()
    let limit = iteration ?? -1
    let stale = all.filter { $0 > limit }
    let kept = all.filter { $0 <= limit }
    for old in stale + kept.dropLast(keep) {
      try? FileManager.default.removeItem(at: url(iteration: old))
    }
  }

  /// Creates the folder.
  func prepare() throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }
}
