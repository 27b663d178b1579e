import Tensors

/// The weights of one pre-norm GPT-2 block: `x + attn(ln_1(x))`, then
/// `x + mlp(ln_2(x))`, with linear weights in GPT-2's Conv1D layout
/// `[in, out]`.
public final class TransformerBlock {
  /// `ln_1.weight` and `ln_1.bias`, `[dModel]` each.
  public let norm1Weight: Parameter, norm1Bias: Parameter
  /// `attn.c_attn.weight` `[dModel, 3·dModel]` (query, key, value side by
  /// side) and its bias `[3·dModel]`.
  public let attentionWeight: Parameter, attentionBias: Parameter
  /// `attn.c_proj.weight` `[dModel, dModel]` and its bias `[dModel]`.
  public let attentionProjectionWeight: Parameter, attentionProjectionBias: Parameter
  /// `ln_2.weight` and `ln_2.bias`, `[dModel]` each.
  public let norm2Weight: Parameter, norm2Bias: Parameter
  /// `mlp.c_fc.weight` `[dModel, 4·dModel]` and its bias `[4·dModel]`.
  public let feedForwardWeight: Parameter, feedForwardBias: Parameter
  /// `mlp.c_proj.weight` `[4·dModel, dModel]` and its bias `[dModel]`.
  public let feedForwardProjectionWeight: Parameter, feedForwardProjectionBias: Parameter

  /// A block of `configuration`'s width for layer `layer`, initialised as
  /// Hugging Face initialises GPT-2: weights N(0, 0.02²), the two residual
  /// projections N(0, (0.02/√(2·layers))²), biases 0, layer norms 1 and 0.
  init(
    configuration: GPTConfiguration, layer: Int, generator: inout RandomGenerator
  ) {
    let d = configuration.dModel
    let name = "\(GPT2Layout.prefix)h.\(layer)."
    let residualDeviation = 0.02 / Float(2 * configuration.layerCount).squareRoot()
    func normal(_ suffix: String, _ shape: [Int], _ deviation: Float = 0.02) -> Parameter {
      Parameter(
        name + suffix,
        Tensor.randomNormal(shape, standardDeviation: deviation, using: &generator))
    }
    norm1Weight = Parameter(name + "ln_1.weight", .ones([d]))
    norm1Bias = Parameter(name + "ln_1.bias", .zeros([d]))
    attentionWeight = normal("attn.c_attn.weight", [d, 3 * d])
    attentionBias = Parameter(name + "attn.c_attn.bias", .zeros([3 * d]))
    attentionProjectionWeight = normal("attn.c_proj.weight", [d, d], residualDeviation)
    attentionProjectionBias = Parameter(name + "attn.c_proj.bias", .zeros([d]))
    norm2Weight = Parameter(name + "ln_2.weight", .ones([d]))
    norm2Bias = Parameter(name + "ln_2.bias", .zeros([d]))
    feedForwardWeight = normal("mlp.c_fc.weight", [d, 4 * d])
    feedForwardBias = Parameter(name + "mlp.c_fc.bias", .zeros([4 * d]))
    feedForwardProjectionWeight = normal("mlp.c_proj.weight", [4 * d, d], residualDeviation)
    feedForwardProjectionBias = Parameter(name + "mlp.c_proj.bias", .zeros([d]))
  }

  /// The block's parameters in checkpoint order (as `GPT2Layout`).
  public var parameters: [Parameter] {
    [
      norm1Weight, norm1Bias, attentionWeight, attentionBias,
      attentionProjectionWeight, attentionProjectionBias, norm2Weight, norm2Bias,
      feedForwardWeight, feedForwardBias, feedForwardProjectionWeight,
      feedForwardProjectionBias,
    ]
  }
}
