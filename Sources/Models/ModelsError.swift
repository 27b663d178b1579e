/// Everything that can go wrong in the Models module: unreadable or
/// malformed checkpoints, configurations out of range, and inputs that do not
/// fit a model.
///
/// Each case carries the offending value and its description says what is
/// allowed.
public enum ModelsError: Error, Equatable, CustomStringConvertible {
  /// A file could not be read or written; `reason` is the system's message.
  case unreadableFile(path: String, reason: String)
  /// A safetensors file whose header is not what the format allows.
  case malformedHeader(path: String, reason: String)
  /// A tensor stored in a data type this reader does not convert.
  case unsupportedDType(path: String, tensor: String, dtype: String)
  /// A tensor whose byte range runs past the end of the file, or whose byte
  /// count does not match its shape.
  case truncatedTensor(
    path: String, tensor: String, shape: [Int], expectedBytes: Int, foundBytes: Int)
  /// A tensor the model needs is absent from the checkpoint.
  case missingTensor(path: String, tensor: String, expectedShape: [Int])
  /// The checkpoint holds a tensor the model has no place for.
  case unexpectedTensor(path: String, tensor: String, shape: [Int])
  /// A tensor is present with a shape other than the model's.
  case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])
  /// A configuration field is out of range.
  case invalidConfiguration(field: String, value: String, allowed: String)
  /// A token id outside `0..<vocabularySize`.
  case tokenOutOfRange(token: Int, vocabularySize: Int)
  /// A sequence longer than the model's context.
  case sequenceTooLong(length: Int, contextLength: Int)
  /// An input array whose element count does not match the shape it
  /// claims; `name` says which input.
  case inputShapeMismatch(name: String, expected: [Int], found: Int)
  /// A sampling setting out of range.
  case invalidSampling(field: String, value: String, allowed: String)
  /// An argument out of range; `name` says which.
  case invalidArgument(name: String, value: String, allowed: String)
  /// A class label outside `0..<classCount`.
  case labelOutOfRange(label: Int, classCount: Int)

  /// A one-line message naming the offending value and what is allowed.
  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason):
      return "\(path): cannot read or write: \(reason)"
    case .malformedHeader(let path, let reason):
      return "\(path): malformed safetensors header: \(reason)"
    case .unsupportedDType(let path, let tensor, let dtype):
      return "\(path): tensor '\(tensor)' has dtype '\(dtype)' "
        + "(expected: \(SafeTensors.DType.allowedList))"
    case .truncatedTensor(let path, let tensor, let shape, let expected, let found):
      return "\(path): tensor '\(tensor)' of shape \(shape) needs \(expected) "
        + "bytes but the file holds \(found) (truncated or corrupt file)"
    case .missingTensor(let path, let tensor, let shape):
      return "\(path): missing tensor '\(tensor)' (expected shape \(shape))"
    case .unexpectedTensor(let path, let tensor, let shape):
      return "\(path): unexpected tensor '\(tensor)' of shape \(shape) "
        + "(not part of this model)"
    case .shapeMismatch(let path, let tensor, let expected, let found):
      return "\(path): tensor '\(tensor)' has shape \(found), expected \(expected)"
    case .invalidConfiguration(let field, let value, let allowed):
      return "model configuration: \(field) must be \(allowed), got \(value)"
    case .tokenOutOfRange(let token, let vocabularySize):
      return "token id \(token) is out of range (expected 0..<\(vocabularySize))"
    case .sequenceTooLong(let length, let contextLength):
      return "sequence of \(length) tokens is longer than the context "
        + "(at most \(contextLength))"
    case .inputShapeMismatch(let name, let expected, let found):
      return "\(name) has \(found) elements, expected shape \(expected)"
    case .invalidSampling(let field, let value, let allowed):
      return "sampling: \(field) must be \(allowed), got \(value)"
    case .invalidArgument(let name, let value, let allowed):
      return "\(name) must be \(allowed), got \(value)"
    case .labelOutOfRange(let label, let classCount):
      return "class label \(label) is out of range (expected 0..<\(classCount))"
    }
  }
}
