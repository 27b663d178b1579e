/// Hugging Face's tensor names and shapes for GPT-2 checkpoints, and the
/// rules for matching a file's names against them.
///
/// Linear weights use GPT-2's `Conv1D` layout `[in, out]` (so `y = x·W + b`
/// with row-major `x`). Canonical names carry the `transformer.` prefix, as
/// `GPT2LMHeadModel` and `GPT2ForSequenceClassification` save them; names
/// without it (as `GPT2Model` saves them) are accepted on loading. The output
/// layer is tied to `transformer.wte.weight`, so `lm_head.weight` is not
/// written and, when a file has it, its shape is checked and its values are
/// ignored. The causal-mask buffers `attn.bias` and `attn.masked_bias` that
/// old checkpoints carry are ignored too.
public enum GPT2Layout {
  /// The prefix of trunk tensors in canonical names.
  public static let prefix = "transformer."
  /// TRL's value head weight, `[1, dModel]` (`torch.nn.Linear` layout).
  public static let valueHeadWeight = "v_head.summary.weight"
  /// TRL's value head bias, `[1]`.
  public static let valueHeadBias = "v_head.summary.bias"
  /// `GPT2ForSequenceClassification`'s head, `[classCount, dModel]`, no bias.
  public static let classifierWeight = "score.weight"
  /// The output layer's name, tied to the token embedding.
  public static let tiedOutputWeight = "lm_head.weight"

  /// The canonical names and shapes of the trunk's parameters (embeddings,
  /// blocks, final layer norm), in a fixed order.
  public static func trunkShapes(_ configuration: GPTConfiguration) -> [(String, [Int])] {
    let d = configuration.dModel
    var shapes: [(String, [Int])] = [
      ("transformer.wte.weight", [configuration.vocabularySize, d]),
      ("transformer.wpe.weight", [configuration.contextLength, d]),
    ]
    for layer in 0..<configuration.layerCount {
      let block = "transformer.h.\(layer)."
      shapes += [
        (block + "ln_1.weight", [d]), (block + "ln_1.bias", [d]),
        (block + "attn.c_attn.weight", [d, 3 * d]), (block + "attn.c_attn.bias", [3 * d]),
        (block + "attn.c_proj.weight", [d, d]), (block + "attn.c_proj.bias", [d]),
        (block + "ln_2.weight", [d]), (block + "ln_2.bias", [d]),
        (block + "mlp.c_fc.weight", [d, 4 * d]), (block + "mlp.c_fc.bias", [4 * d]),
        (block + "mlp.c_proj.weight", [4 * d, d]), (block + "mlp.c_proj.bias", [d]),
      ]
    }
    shapes += [("transformer.ln_f.weight", [d]), ("transformer.ln_f.bias", [d])]
    return shapes
  }

  /// The canonical name for a name read from a file: `transformer.` is
  /// prepended to trunk names that lack it; head names are kept.
  public static func canonicalName(_ name: String) -> String {
    let heads = [valueHeadWeight, valueHeadBias, classifierWeight, tiedOutputWeight]
    if name.hasPrefix(prefix) || heads.contains(name) { return name }
    return prefix + name
  }

  /// Whether a canonical name is a buffer or tied copy that loading skips.
  public static func isIgnored(_ canonical: String) -> Bool {
    canonical == tiedOutputWeight || canonical.hasSuffix(".attn.bias")
      || canonical.hasSuffix(".attn.masked_bias")
  }

  /// Matches the tensors of a file against the `expected` names and shapes.
  ///
  /// Names are canonicalised first; `lm_head.weight` must have the shape of
  /// `transformer.wte.weight` and is dropped, attention buffers are dropped.
  /// Names in `optional` may be absent.
  ///
  /// - Parameters:
  ///   - entries: the file's tensors by their names in the file.
  ///   - expected: canonical name and shape of every tensor the model needs.
  ///   - optional: canonical names that may be missing from the file.
  ///   - ignored: canonical names skipped when present and not expected
  ///     (a value head read into a model without one).
  ///   - path: the file, for error messages.
  /// - Returns: the file's tensors by canonical name, exactly the expected
  ///   ones that are present.
  /// - Throws: `ModelsError.missingTensor`, `.unexpectedTensor` or
  ///   `.shapeMismatch` naming the tensor and its expected shape.
  public static func match(
    _ entries: [String: SafeTensors.Entry], expected: [(String, [Int])],
    optional: Set<String> = [], ignoring ignored: Set<String> = [], path: String
  ) throws(ModelsError) -> [String: SafeTensors.Entry] {
    let shapes = Dictionary(expected, uniquingKeysWith: { first, _ in first })
    var found: [String: SafeTensors.Entry] = [:]
    for name in entries.keys.sorted() {
      let entry = entries[name]!
      let canonical = canonicalName(name)
      if canonical == tiedOutputWeight, let wte = shapes[prefix + "wte.weight"] {
        guard entry.shape == wte else {
          throw .shapeMismatch(path: path, tensor: name, expected: wte, found: entry.shape)
        }
        continue
      }
      if (isIgnored(canonical) || ignored.contains(canonical)) && shapes[canonical] == nil {
        continue
      }
      guard let shape = shapes[canonical] else {
        throw .unexpectedTensor(path: path, tensor: name, shape: entry.shape)
      }
      guard entry.shape == shape else {
        throw .shapeMismatch(path: path, tensor: name, expected: shape, found: entry.shape)
      }
      guard found[canonical] == nil else {
        throw .malformedHeader(
          path: path, reason: "tensor '\(canonical)' appears with and without 'transformer.'")
      }
      found[canonical] = entry
    }
    for (name, shape) in expected where found[name] == nil && !optional.contains(name) {
      throw .missingTensor(path: path, tensor: name, expectedShape: shape)
    }
    return found
  }
}
