import Checksums
import Foundation
import Models
import Tensors

/// A folder of stage checkpoints (base model, SFT, reward model, judge)
/// named by the SHA-256 of everything that determines them, so runs that
/// differ only in later settings (seed of the policy, α, n, ρ, PPO keys)
/// train each shared stage once.
///
/// A checkpoint is written to a temporary name and moved into place, so a
/// crash never leaves a half-written file under a final name.
public struct StageCache: Sendable {
  /// The folder holding the checkpoints; created when first written.
  public let directory: URL

  /// A cache in `directory`.
  public init(directory: URL) {
    self.directory = directory
  }

  /// The file of `stage` under `key`.
  public func url(stage: String, key: String) -> URL {
    directory.appendingPathComponent("\(stage)-\(key.prefix(16)).safetensors")
  }

  /// The cached language model of `stage`, or a newly trained one that is
  /// then saved.
  public func languageModel(
    stage: String, key: String, configuration: GPTConfiguration, train: () throws -> GPT
  ) throws -> GPT {
    let file = url(stage: stage, key: key)
    if FileManager.default.fileExists(atPath: file.path) {
      var unused = RandomGenerator(seed: 0)
      return try GPT.load(from: file, configuration: configuration, generator: &unused)
    }
    let model = try train()
    try write(to: file) { try model.save(to: $0) }
    return model
  }

  /// The cached classifier of `stage`, or a newly trained one that is then
  /// saved.
  public func classifier(
    stage: String, key: String, configuration: GPTConfiguration,
    train: () throws -> SequenceClassifier
  ) throws -> SequenceClassifier {
    let file = url(stage: stage, key: key)
    if FileManager.default.fileExists(atPath: file.path) {
      return try SequenceClassifier.load(from: file, configuration: configuration)
    }
    let model = try train()
    try write(to: file) { try model.save(to: $0) }
    return model
  }

  func write(to file: URL, _ save: (URL) throws -> Void) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let partial = file.appendingPathExtension(
      "partial-\(ProcessInfo.processInfo.processIdentifier)")
    try save(partial)
    if FileManager.default.fileExists(atPath: file.path) {
      // Another process finished the same stage first; its file is as good.
      try FileManager.default.removeItem(at: partial)
      return
    }
    do {
      try FileManager.default.moveItem(at: partial, to: file)
    } catch  where FileManager.default.fileExists(atPath: file.path) {
      // Lost a race with another process between the check and the move.
      try? FileManager.default.removeItem(at: partial)
    }
  }

  /// The hex SHA-256 of `parts` (each terminated, so boundaries count) and
  /// of the token sequences in `texts` (each id as 4 little-endian bytes,
  /// each sequence and each list terminated).
  public static func key(_ parts: [String], texts: [[[Int]]] = []) -> String {
    let hasher = SHA256()
    for part in parts { hasher.update(part + "\u{1F}") }
    for list in texts {
      for sequence in list {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sequence.count * 4 + 4)
        for token in sequence {
          let value = UInt32(truncatingIfNeeded: token)
          bytes += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: value >> $0) }
        }
        bytes += [0xFF, 0xFF, 0xFF, 0xFF]
        hasher.update(bytes)
      }
      hasher.update("\u{1E}")
    }
    return hasher.finishHex()
  }
}
