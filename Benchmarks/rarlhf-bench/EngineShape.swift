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

  /// A matrix product `[m, k] · [k, n]` made `count` times per pass.
  struct Product {
    let m: Int
    let n: Int
    let k: Int
    let count: Int

    /// FLOPs of the `count` products, 2 per multiply-add; the backward
    /// pass's two products (dA = dC · Bᵀ, dB = Aᵀ · dC) make twice as many.
    var flops: Double { 2 * Double(m) * Double(n) * Double(k) * Double(count) }
  }

  /// The matrix products one forward pass of `Models.GPT` computes on
  /// `batch` sequences of `length` positions with predictions from `first`
  /// on (`GPT.forward(_:tape:predictionsFrom:)`), as the engine makes
  /// them:
  ///
  /// - per layer, the QKV projection over every position, and one score
  ///   and one value product per sequence and head over the full (not
  ///   causally halved) query × key square, as BLAS computes it;
  /// - the attention output and MLP projections over every position,
  ///   except in the last layer when `first > 0`, where only positions
  ///   `first..<length` are computed (and attention has that many queries);
  /// - the tied output layer over the `batch · (length − 1 − first)`
  ///   predictions actually made (the last position predicts nothing);
  /// - the value head over positions `first..<length`, when there is one.
  ///
  /// Element-wise work (softmax, layer norm, GELU, optimiser) is not
  /// counted.
  static func forwardProducts(
    batch: Int, length: Int, first: Int = 0, valueHead: Bool = false
  ) -> [Product] {
    let d = dModel
    let dHead = d / heads
    let tokens = batch * length
    var products: [Product] = []
    for layer in 0..<layers {
      let queries = layer == layers - 1 ? length - first : length
      let rows = batch * queries
      products += [
        Product(m: tokens, n: 3 * d, k: d, count: 1),
        Product(m: queries, n: length, k: dHead, count: batch * heads),
        Product(m: queries, n: dHead, k: length, count: batch * heads),
        Product(m: rows, n: d, k: d, count: 1),
        Product(m: rows, n: 4 * d, k: d, count: 1),
        Product(m: rows, n: d, k: 4 * d, count: 1),
      ]
    }
    products.append(Product(m: batch * (length - 1 - first), n: vocabulary, k: d, count: 1))
    if valueHead { products.append(Product(m: batch * (length - first), n: 1, k: d, count: 1)) }
    return products
  }

  /// The forward products of one training step (batch 32 × 64, every
  /// position, no value head); its backward pass makes both backward
  /// products of each.
  static var trainStepProducts: [Product] {
    forwardProducts(batch: trainBatch, length: trainLength)
  }
}
