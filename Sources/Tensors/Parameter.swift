/// A trainable, named weight: a leaf `Variable` that requires a gradient and
/// that optimisers update in place.
///
/// Models create one `Parameter` per weight under its checkpoint name (GPT-2
/// names such as `"h.0.attn.c_attn.weight"`) and list them for the
/// optimiser and for saving.
public final class Parameter: Variable {
  /// The weight's name, unique within a model.
  public let name: String

  /// A parameter named `name` holding `value`.
  public init(_ name: String, _ value: Tensor) {
    self.name = name
    super.init(value, requiresGrad: true)
  }

  /// Replaces the value (for loading a checkpoint or copying weights).
  ///
  /// - Precondition: `newValue` has this parameter's shape.
  public func assign(_ newValue: Tensor) {
    precondition(
      newValue.shape == value.shape,
      "\(name): cannot assign shape \(newValue.shape) to \(value.shape)")
    value = newValue
  }

  /// Lets `body` update the scalars in place (used by optimisers).
  func updateValue(_ body: (UnsafeMutablePointer<Float>) -> Void) {
    value.withMutablePointer(body)
  }
}
