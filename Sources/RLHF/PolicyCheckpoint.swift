import Foundation
import Models
import Tensors

/// The state of a PPO run after an iteration, enough to continue it as if
/// it had never stopped: the policy with its value head, the Adam moments
/// and step count, the KL coefficient β, and the iteration number.
///
/// The run's random streams need no saved state: each iteration's sampling
/// and minibatch shuffles derive from the seed and the iteration number
/// (`PPOTrainer.stream`), and the prompt order from the seed and the pass,
/// so the seed recorded here is checked rather than restored. The
/// controller's only state is β; its rule comes from the configuration.
///
/// A checkpoint is one safetensors file: the policy's parameters under
/// their own names, the optimiser's moments under `optimizer.` + their
/// names, and the scalars in the metadata (`rarlhf.iteration`, …).
public struct PolicyCheckpoint: Sendable, Equatable {
  /// The last iteration whose update the checkpoint holds, m ≥ 0.
  public var iteration: Int
  /// β for the next iteration.
  public var klCoefficient: Double
  /// Adam steps taken so far.
  public var optimizerSteps: Int
  /// The run's seed.
  public var seed: UInt64
  /// The identity of the run's configuration.
  public var runIdentity: String

  /// A checkpoint record.
  public init(
    iteration: Int, klCoefficient: Double, optimizerSteps: Int, seed: UInt64,
    runIdentity: String
  ) {
    self.iteration = iteration
    self.klCoefficient = klCoefficient
    self.optimizerSteps = optimizerSteps
    self.seed = seed
    self.runIdentity = runIdentity
  }

  static let optimizerPrefix = "optimizer."
  static let keys = (
    iteration: "rarlhf.iteration", coefficient: "rarlhf.kl_coefficient",
    steps: "rarlhf.optimizer_steps", seed: "rarlhf.seed", identity: "rarlhf.run_identity"
  )

  /// Writes this record with `model`'s weights and `optimizer`'s state to
  /// `url`, atomically (a temporary file renamed into place).
  ///
  /// - Throws: `ModelsError.unreadableFile` when the file cannot be written.
  public func save(model: GPT, optimizer: AdamW, to url: URL) throws {
    var entries: [String: SafeTensors.Entry] = [:]
    for parameter in model.parameters {
      entries[parameter.name] = SafeTensors.Entry(
        shape: parameter.value.shape, values: parameter.value.scalars)
    }
    for (name, tensor) in optimizer.stateTensors() {
      entries[Self.optimizerPrefix + name] = SafeTensors.Entry(
        shape: tensor.shape, values: tensor.scalars)
    }
    let metadata = [
      "format": "pt", Self.keys.iteration: String(iteration),
      Self.keys.coefficient: String(klCoefficient.bitPattern),
      Self.keys.steps: String(optimizerSteps), Self.keys.seed: String(seed),
      Self.keys.identity: runIdentity,
    ]
    let partial = url.appendingPathExtension(
      "partial-\(ProcessInfo.processInfo.processIdentifier)")
    try SafeTensors.write(entries, metadata: metadata, to: partial)
    if FileManager.default.fileExists(atPath: url.path) {
      _ = try FileManager.default.replaceItemAt(url, withItemAt: partial)
    } else {
      try FileManager.default.moveItem(at: partial, to: url)
    }
  }

  /// Reads the checkpoint at `url` into `model` and `optimizer` and returns
  /// its record. Nothing is changed unless every tensor is present with
  /// its parameter's shape.
  ///
  /// - Throws: `RLHFError.unusableCheckpoint` naming the file and what is
  ///   wrong with it; `ModelsError` when it cannot be read.
  public static func load(into model: GPT, optimizer: AdamW, from url: URL) throws -> Self {
    let entries = try SafeTensors.read(contentsOf: url)
    let metadata = try SafeTensors.metadata(contentsOf: url)
    func field<Value>(_ key: String, _ parse: (String) -> Value?) throws -> Value {
      guard let text = metadata[key], let value = parse(text) else {
        throw RLHFError.unusableCheckpoint(
          path: url.path, reason: "metadata '\(key)' is missing or malformed")
      }
      return value
    }
    let record = Self(
      iteration: try field(keys.iteration) { Int($0) },
      klCoefficient: try field(keys.coefficient) { UInt64($0).map(Double.init(bitPattern:)) },
      optimizerSteps: try field(keys.steps) { Int($0) },
      seed: try field(keys.seed) { UInt64($0) },
      runIdentity: try field(keys.identity) { $0 })
    var weights: [(Parameter, Tensor)] = []
    for parameter in model.parameters {
      guard let entry = entries[parameter.name], entry.shape == parameter.value.shape else {
        throw RLHFError.unusableCheckpoint(
          path: url.path,
          reason: "tensor '\(parameter.name)' is missing or not of shape \(parameter.value.shape)")
      }
      weights.append((parameter, Tensor(shape: entry.shape, scalars: entry.values)))
    }
    var state: [String: Tensor] = [:]
    for (name, entry) in entries where name.hasPrefix(optimizerPrefix) {
      state[String(name.dropFirst(optimizerPrefix.count))] = Tensor(
        shape: entry.shape, scalars: entry.values)
    }
    do {
      try optimizer.restore(state: state, stepCount: record.optimizerSteps)
    } catch {
      throw RLHFError.unusableCheckpoint(
        path: url.path, reason: "optimiser state: \(error)")
    }
    for (parameter, value) in weights { parameter.assign(value) }
    return record
  }
}
