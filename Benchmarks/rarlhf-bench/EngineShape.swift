import Models

/// The engine workload: vocabulary 8,192, 128 positions, d_model
/// 128, 4 layers, 4 heads; training batch 32 × 64 tokens; sampling 64
/// prompts × 64 tokens, 48 new tokens.
enum EngineShape {
  static let vocabulary = 8192
  static let dModel = 128
  static let layers = 4
  static let heads = 4
  static let trainBatch = 32
  static let trainLength = 64
  static let prompts = 64
  static let promptLength = 64
  static let newTokens = 48

  /// The model configuration, with GPT-2's dropout of 0.1 (PyTorch's
  /// reference trains in `train()` mode).
  static let configuration = GPTConfiguration(
    vocabularySize: vocabulary, contextLength: 128, dModel: dModel, layerCount: layers,
    headCount: heads)

  /// Matrix-product FLOPs (2 per multiply-add) of one forward pass over
  /// `tokens` positions in sequences of `length`: per layer and token
  /// 24·d² for the projections and MLP and 4·length·d for the full
  /// (unmasked-size) attention products, plus 2·d·V for the tied output
  /// layer. Element-wise work is not counted.
  static func forwardFLOPs(tokens: Int, length: Int) -> Double {
    let d = Double(dModel)
    let perToken =
      Double(layers) * (24 * d * d + 4 * Double(length) * d) + 2 * d * Double(vocabulary)
    return perToken * Double(tokens)
  }

  /// FLOPs of one training step: the forward pass and a backward pass of
  /// twice its products (gradients of both operands of every product).
  static var trainStepFLOPs: Double {
    3 * forwardFLOPs(tokens: trainBatch * trainLength, length: trainLength)
  }
}
