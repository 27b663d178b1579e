/// The policy's tokenizer and transformer shape (`model.*`).
///
/// The reference, reward and judge models share the tokenizer; the policy
/// and the reference model share the shape.
public struct ModelSettings: Sendable, Equatable {
  /// `model.tokenizer`: GPT-2's BPE or a BPE trained on the task's corpus.
  public var tokenizer: TokenizerKind
  /// `model.vocab_size`, V: tokens in the vocabulary (50,257 for GPT-2).
  public var vocabSize: Int
  /// `model.d_model`, d: width of the residual stream.
  public var dModel: Int
  /// `model.layers`, L: transformer blocks.
  public var layers: Int
  /// `model.heads`, H: attention heads per block; divides `dModel`.
  public var heads: Int
  /// `model.context`: longest sequence in tokens (≥ P + new tokens).
  public var context: Int

  /// Settings with every field given.
  public init(
    tokenizer: TokenizerKind, vocabSize: Int, dModel: Int, layers: Int,
    heads: Int, context: Int
  ) {
    self.tokenizer = tokenizer
    self.vocabSize = vocabSize
    self.dModel = dModel
    self.layers = layers
    self.heads = heads
    self.context = context
  }
}
