import Tensors

/// The GPT-2 transformer without an output head (Hugging Face's
/// `GPT2Model`): token and learned position embeddings, pre-norm blocks with
/// causal multi-head attention and a GELU (tanh approximation) MLP, and a
/// final layer norm (Radford et al. 2019).
///
/// `GPT` and `SequenceClassifier` put their heads on its hidden states.
public final class GPTTrunk {
  /// The dimensions.
  public let configuration: GPTConfiguration
  /// `transformer.wte.weight`, `[vocabularySize, dModel]`; also the tied
  /// output layer.
  public let tokenEmbedding: Parameter
  /// `transformer.wpe.weight`, `[contextLength, dModel]`.
  public let positionEmbedding: Parameter
  /// The blocks, `transformer.h.0` first.
  public let blocks: [TransformerBlock]
  /// `transformer.ln_f.weight` and `.bias`, `[dModel]` each.
  public let finalNormWeight: Parameter, finalNormBias: Parameter

  /// A trunk with Hugging Face's GPT-2 initialisation drawn from
  /// `generator` (embeddings N(0, 0.02²); see `TransformerBlock`).
  ///
  /// - Throws: `ModelsError.invalidConfiguration` for a configuration out of
  ///   range.
  public init(
    configuration: GPTConfiguration, generator: inout RandomGenerator
  ) throws(ModelsError) {
    try configuration.validate()
    self.configuration = configuration
    let d = configuration.dModel
    tokenEmbedding = Parameter(
      "transformer.wte.weight",
      .randomNormal(
        [configuration.vocabularySize, d], standardDeviation: 0.02, using: &generator))
    positionEmbedding = Parameter(
      "transformer.wpe.weight",
      .randomNormal(
        [configuration.contextLength, d], standardDeviation: 0.02, using: &generator))
    blocks = (0..<configuration.layerCount).map { layer in
      TransformerBlock(configuration: configuration, layer: layer, generator: &generator)
    }
    finalNormWeight = Parameter("transformer.ln_f.weight", .ones([d]))
    finalNormBias = Parameter("transformer.ln_f.bias", .zeros([d]))
  }

  /// Every parameter, in `GPT2Layout.trunkShapes` order.
  public var parameters: [Parameter] {
    [tokenEmbedding, positionEmbedding] + blocks.flatMap(\.parameters)
      + [finalNormWeight, finalNormBias]
  }

  // MARK: - Forward

  /// The final hidden states (after `ln_f`) of positions `from..<length`,
  /// `[batchSize, length − from, dModel]`.
  ///
  /// Padded keys are masked out of attention; a padded query with no real
  /// token at or before it attends to nothing (its attention output is 0),
  /// so padding never influences real positions. With `from > 0` the last
  /// block computes its attention output, MLP and `ln_f` only for those
  /// positions (keys and values still cover every position), which is all
  /// a head reading only them needs.
  ///
  /// - Parameters:
  ///   - batch: validated against the configuration by the caller.
  ///   - tape: records the operations when it is recording.
  ///   - dropout: the dropout stream in training mode, `nil` for none.
  ///   - from: the first position returned, in `0..<length`.
  ///   - attentionInputs: called with each layer's index and its fused
  ///     query/key/value `[batchSize, length, 3·dModel]` (to fill a cache).
  func hiddenStates(
    _ batch: TokenBatch, tape: Tape, dropout: inout RandomGenerator?, from first: Int = 0,
    attentionInputs: ((Int, Tensor) -> Void)? = nil
  ) -> Variable {
    precondition(first >= 0 && first < batch.length, "from \(first) outside the batch")
    let shape = [batch.batchSize, batch.length]
    var x = tape.add(
      tape.embedding(tokenEmbedding, ids: batch.tokens, shape: shape),
      tape.embedding(positionEmbedding, ids: batch.positions, shape: shape))
    x = drop(x, tape: tape, &dropout)
    let keyBias = batch.keyBias
    let length = batch.length
    var sliced = false
    for (layer, block) in blocks.enumerated() {
      let h = tape.layerNorm(
        x, weight: block.norm1Weight, bias: block.norm1Bias,
        epsilon: configuration.layerNormEpsilon)
      let qkv = tape.linear(h, weight: block.attentionWeight, bias: block.attentionBias)
      attentionInputs?(layer, qkv.value)
      let attended: Variable
      if configuration.dropout > 0, var generator = dropout {
        attended = tape.causalSelfAttention(
          qkv, heads: configuration.headCount, keyBias: keyBias,
          dropout: configuration.dropout, using: &generator)
        dropout = generator
      } else if first > 0 && layer == blocks.count - 1 {
        // Queries of the returned positions only, against every key.
        let d = configuration.dModel
        let queries = tape.slice(qkv, axis: 1, range: first..<length)
        attended = tape.attention(
          query: tape.slice(queries, axis: 2, range: 0..<d),
          key: tape.slice(qkv, axis: 2, range: d..<(2 * d)),
          value: tape.slice(qkv, axis: 2, range: (2 * d)..<(3 * d)),
          heads: configuration.headCount, keyBias: keyBias, causal: true)
        x = tape.slice(x, axis: 1, range: first..<length)
        sliced = true
      } else {
        attended = tape.causalSelfAttention(
          qkv, heads: configuration.headCount, keyBias: keyBias)
      }
      x = residual(x, attended, block: block, tape: tape, dropout: &dropout)
    }
    if first > 0 && !sliced { x = tape.slice(x, axis: 1, range: first..<length) }
    return tape.layerNorm(
      x, weight: finalNormWeight, bias: finalNormBias, epsilon: configuration.layerNormEpsilon)
  }

  /// One decoding step with a key/value cache: the hidden states after
  /// `ln_f` of one new token per sequence, `[batchSize, 1, dModel]`.
  ///
  /// - Parameters:
  ///   - tokens: `[batchSize]`, the new tokens.
  ///   - positions: `[batchSize]`, their position ids.
  ///   - cache: holds the keys and values of every earlier position; the new
  ///     ones are written at `cache.filled`, which is then advanced.
  func decodingStep(
    tokens: [Int], positions: [Int], cache: inout KeyValueCache, tape: Tape
  ) -> Variable {
    let batch = tokens.count
    let d = configuration.dModel
    let slot = cache.filled
    cache.admit(slot, real: [Bool](repeating: true, count: batch))
    var x = tape.add(
      tape.embedding(tokenEmbedding, ids: tokens, shape: [batch, 1]),
      tape.embedding(positionEmbedding, ids: positions, shape: [batch, 1]))
    for (layer, block) in blocks.enumerated() {
      let h = tape.layerNorm(
        x, weight: block.norm1Weight, bias: block.norm1Bias,
        epsilon: configuration.layerNormEpsilon)
      let qkv = tape.linear(h, weight: block.attentionWeight, bias: block.attentionBias)
      cache.store(layer: layer, qkv: qkv.value, from: 0, count: 1, at: slot)
      let attended = tape.attention(
        query: tape.slice(qkv, axis: 2, range: 0..<d),
        key: Variable(cache.keys[layer]), value: Variable(cache.values[layer]),
        heads: configuration.headCount, keyBias: cache.keyBias, causal: false,
        keyCount: slot + 1)
      var none: RandomGenerator? = nil
      x = residual(x, attended, block: block, tape: tape, dropout: &none)
    }
    cache.filled += 1
    return tape.layerNorm(
      x, weight: finalNormWeight, bias: finalNormBias, epsilon: configuration.layerNormEpsilon)
  }

  /// `x + drop(c_proj(attended))`, then `+ drop(mlp(ln_2(·)))`.
  private func residual(
    _ x: Variable, _ attended: Variable, block: TransformerBlock, tape: Tape,
    dropout: inout RandomGenerator?
  ) -> Variable {
    let projected = tape.linear(
      attended, weight: block.attentionProjectionWeight, bias: block.attentionProjectionBias)
    let afterAttention = tape.add(x, drop(projected, tape: tape, &dropout))
    let h = tape.layerNorm(
      afterAttention, weight: block.norm2Weight, bias: block.norm2Bias,
      epsilon: configuration.layerNormEpsilon)
    let expanded = tape.gelu(
      tape.linear(h, weight: block.feedForwardWeight, bias: block.feedForwardBias))
    let contracted = tape.linear(
      expanded, weight: block.feedForwardProjectionWeight,
      bias: block.feedForwardProjectionBias)
    return tape.add(afterAttention, drop(contracted, tape: tape, &dropout))
  }

  /// Inverted dropout at the configured rate when a stream is given.
  func drop(_ x: Variable, tape: Tape, _ dropout: inout RandomGenerator?) -> Variable {
    guard configuration.dropout > 0, var generator = dropout else { return x }
    let result = tape.dropout(x, rate: configuration.dropout, using: &generator)
    dropout = generator
    return result
  }
}
