import Foundation
import Tensors

extension GPT {
  /// Writes the model as a safetensors checkpoint with Hugging Face's names
  /// (`transformer.…`, and TRL's `v_head.summary.…` when there is a value
  /// head); the tied output layer is not written.
  ///
  /// - Throws: `ModelsError.unreadableFile` when the file cannot be written.
  public func save(to url: URL) throws(ModelsError) {
    try Checkpoint.save(parameters, configuration: configuration, to: url)
  }

  /// A model read from a safetensors checkpoint.
  ///
  /// - Parameters:
  ///   - url: the checkpoint; names with or without `transformer.`,
  ///     `lm_head.weight` and attention buffers are accepted (see
  ///     `GPT2Layout`).
  ///   - configuration: the dimensions; `nil` reads them from the file's
  ///     metadata (our checkpoints have them; others need this argument,
  ///     for example `.gpt2` for the released 124M model).
  ///   - valueHead: whether the model has a value head; when the file has
  ///     none, it is initialised from `generator` (as TRL does when it
  ///     wraps a plain language model).
  /// - Throws: `ModelsError.missingTensor`, `.unexpectedTensor`,
  ///   `.shapeMismatch` naming the tensor, reading errors naming the file,
  ///   and `.invalidConfiguration` when no configuration is known.
  public static func load(
    from url: URL, configuration: GPTConfiguration? = nil, valueHead: Bool = false,
    generator: inout RandomGenerator
  ) throws(ModelsError) -> GPT {
    let stored = configuration == nil ? try Checkpoint.configuration(storedIn: url) : nil
    guard let configuration = configuration ?? stored else {
      throw .invalidConfiguration(
        field: "configuration", value: "absent from \(url.path)",
        allowed: "given explicitly for checkpoints written by other tools")
    }
    let model = try GPT(
      configuration: configuration, valueHead: valueHead, generator: &generator)
    try model.loadWeights(from: url)
    return model
  }

  /// Replaces the weights with those of the checkpoint at `url`; a missing
  /// value head keeps its current values, and a value head in the file is
  /// skipped when this model has none (a PPO policy read as a plain
  /// language model). Nothing changes unless the whole file matches.
  ///
  /// - Returns: the names that were missing from the file and kept.
  /// - Throws: as `load(from:configuration:valueHead:generator:)`.
  @discardableResult
  public func loadWeights(from url: URL) throws(ModelsError) -> [String] {
    try Checkpoint.load(
      into: parameters, from: url,
      optional: [GPT2Layout.valueHeadWeight, GPT2Layout.valueHeadBias],
      ignoring: [GPT2Layout.valueHeadWeight, GPT2Layout.valueHeadBias])
  }

  /// An independent copy with the same configuration and weights (for
  /// example the frozen reference model).
  public func copy() -> GPT {
    var unused = RandomGenerator(seed: 0)
    // The configuration was validated when this model was made.
    guard
      let twin = try? GPT(
        configuration: configuration, valueHead: hasValueHead, generator: &unused)
    else { preconditionFailure("a validated configuration was refused") }
    for (target, source) in zip(twin.parameters, parameters) {
      target.assign(source.value)
    }
    return twin
  }
}
