/// The dimensions of a GPT-2-architecture transformer.
///
/// Field meanings follow Hugging Face's `GPT2Config`: `vocabularySize` is
/// `vocab_size`, `contextLength` is `n_positions`, `dModel` is `n_embd`,
/// `layerCount` is `n_layer`, `headCount` is `n_head`, `dropout` is used for
/// `embd_pdrop`, `attn_pdrop` and `resid_pdrop` alike, `layerNormEpsilon` is
/// `layer_norm_epsilon`.
public struct GPTConfiguration: Hashable, Sendable, Codable {
  /// Number of token ids; ids are `0..<vocabularySize`.
  public var vocabularySize: Int
  /// Longest sequence the learned position table covers, in tokens.
  public var contextLength: Int
  /// Width of the residual stream (embedding size).
  public var dModel: Int
  /// Number of transformer blocks.
  public var layerCount: Int
  /// Number of attention heads; must divide `dModel`.
  public var headCount: Int
  /// Dropout probability in training mode, 0 ≤ p < 1 (embeddings,
  /// attention weights, residual branches).
  public var dropout: Float
  /// The ε added to the variance in every layer norm.
  public var layerNormEpsilon: Float

  /// A configuration with the given dimensions.
  public init(
    vocabularySize: Int, contextLength: Int, dModel: Int, layerCount: Int,
    headCount: Int, dropout: Float = 0.1, layerNormEpsilon: Float = 1e-5
  ) {
    self.vocabularySize = vocabularySize
    self.contextLength = contextLength
    self.dModel = dModel
    self.layerCount = layerCount
    self.headCount = headCount
    self.dropout = dropout
    self.layerNormEpsilon = layerNormEpsilon
  }

  /// GPT-2 "small" (124M parameters), as released by OpenAI: 50,257 tokens,
  /// 1,024 positions, width 768, 12 layers, 12 heads, dropout 0.1.
  public static let gpt2 = GPTConfiguration(
    vocabularySize: 50257, contextLength: 1024, dModel: 768, layerCount: 12,
    headCount: 12)

  /// Width of one attention head, `dModel / headCount`.
  public var headDimension: Int { dModel / headCount }

  /// Number of trainable parameters of the language model (tied output
  /// layer counted once, no value head). 124,439,808 for `gpt2`.
  public var parameterCount: Int {
    let d = dModel
    let block =
      2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d
      + (d * 4 * d + 4 * d) + (4 * d * d + d)
    return vocabularySize * d + contextLength * d + layerCount * block + 2 * d
  }

  /// Checks every field's range.
  ///
  /// - Throws: `ModelsError.invalidConfiguration` naming the first field
  ///   out of range and what is allowed.
  public func validate() throws(ModelsError) {
    let positive: [(String, Int)] = [
      ("vocabularySize", vocabularySize), ("contextLength", contextLength),
      ("dModel", dModel), ("layerCount", layerCount), ("headCount", headCount),
    ]
    for (field, value) in positive where value < 1 {
      throw .invalidConfiguration(field: field, value: "\(value)", allowed: "at least 1")
    }
    guard dModel % headCount == 0 else {
      throw .invalidConfiguration(
        field: "headCount", value: "\(headCount)",
        allowed: "a divisor of dModel (\(dModel))")
    }
    guard dropout >= 0, dropout < 1 else {
      throw .invalidConfiguration(field: "dropout", value: "\(dropout)", allowed: "in [0, 1)")
    }
    guard layerNormEpsilon > 0, layerNormEpsilon.isFinite else {
      throw .invalidConfiguration(
        field: "layerNormEpsilon", value: "\(layerNormEpsilon)", allowed: "positive and finite")
    }
  }
}
