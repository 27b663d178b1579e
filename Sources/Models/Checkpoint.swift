import Foundation
import Tensors

/// Saving and loading model parameters as safetensors files with Hugging
/// Face's names, so a released GPT-2 checkpoint loads and our checkpoints
/// open in other tools.
///
/// Files carry `{"format": "pt"}` in their metadata (which `transformers`
/// expects) and the model's configuration as JSON under
/// `Checkpoint.configurationKey`, since safetensors files hold no
/// configuration of their own.
public enum Checkpoint {
  /// The metadata key under which the configuration is stored.
  public static let configurationKey = "rarlhf.configuration"

  /// Writes `parameters` (by their names) and `configuration` to `url`,
  /// atomically.
  ///
  /// - Throws: `ModelsError.unreadableFile` when the file cannot be written.
  public static func save(
    _ parameters: [Parameter], configuration: GPTConfiguration, to url: URL
  ) throws(ModelsError) {
    var entries: [String: SafeTensors.Entry] = [:]
    for parameter in parameters {
      entries[parameter.name] = SafeTensors.Entry(
        shape: parameter.value.shape, values: parameter.value.scalars)
    }
    var metadata = ["format": "pt"]
    if let json = try? JSONEncoder().encode(configuration) {
      metadata[configurationKey] = String(decoding: json, as: UTF8.self)
    }
    try SafeTensors.write(entries, metadata: metadata, to: url)
  }

  /// The configuration stored in the file at `url`, or `nil` when the file
  /// has none (a checkpoint from another tool).
  ///
  /// - Throws: `ModelsError.unreadableFile` or `.malformedHeader` naming the
  ///   file.
  public static func configuration(
    storedIn url: URL
  ) throws(ModelsError) -> GPTConfiguration? {
    guard let text = try SafeTensors.metadata(contentsOf: url)[configurationKey] else {
      return nil
    }
    do {
      return try JSONDecoder().decode(GPTConfiguration.self, from: Data(text.utf8))
    } catch {
      throw .malformedHeader(
        path: url.path, reason: "metadata '\(configurationKey)' is not a configuration")
    }
  }

  /// Reads the file at `url` and assigns its tensors to `parameters`
  /// (matched by canonical name, see `GPT2Layout.match`); names in
  /// `optional` may be missing and keep their values; names in `ignored`
  /// are skipped when the parameters have no place for them.
  ///
  /// Nothing is assigned unless the whole file matches.
  ///
  /// - Throws: `ModelsError.missingTensor`, `.unexpectedTensor`,
  ///   `.shapeMismatch` or a reading error, naming the file and tensor.
  /// - Returns: the names that were missing and kept their values.
  @discardableResult
  public static func load(
    into parameters: [Parameter], from url: URL, optional: Set<String> = [],
    ignoring ignored: Set<String> = []
  ) throws(ModelsError) -> [String] {
    let entries = try SafeTensors.read(contentsOf: url)
    let expected = parameters.map { ($0.name, $0.value.shape) }
    let matched = try GPT2Layout.match(
      entries, expected: expected, optional: optional, ignoring: ignored, path: url.path)
    var kept: [String] = []
    for parameter in parameters {
      guard let entry = matched[parameter.name] else {
        kept.append(parameter.name)
        continue
      }
      parameter.assign(Tensor(shape: entry.shape, scalars: entry.values))
    }
    return kept
  }
}
