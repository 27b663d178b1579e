/// Everything that can go wrong in the RLHF module: bad hyper-parameters,
/// arrays of the wrong size, empty masks and non-finite training quantities.
///
/// Each case carries the offending value and its description says what is
/// allowed, so a message can be shown to a user as it is.
public enum RLHFError: Error, Equatable, CustomStringConvertible {
  /// A hyper-parameter is outside its allowed range.
  case invalidParameter(name: String, value: Double, allowed: String)
  /// ⌈ρM⌉ does not exceed the warm start n, so the schedule has no ramp.
  case riskRampEmpty(rhoTimesIterations: Int, warmStart: Int)
  /// ⌈αB⌉ is below one, so the tail would hold no episode.
  case emptyTail(alpha: Double, batchSize: Int)
  /// An array does not have the length its shape requires.
  case shapeMismatch(name: String, expected: Int, got: Int)
  /// A masked statistic was asked of a mask that keeps too few entries.
  case maskTooSmall(quantity: String, kept: Int, needed: Int)
  /// A loss or statistic came out NaN or infinite.
  case nonFinite(iteration: Int, quantity: String, value: Double)
  /// An input value is not finite where a finite number is required.
  case nonFiniteInput(name: String, index: Int, value: Double)
  /// An evaluation was asked of no data.
  case emptyInput(name: String)
  /// A policy checkpoint cannot be used to resume a run.
  case unusableCheckpoint(path: String, reason: String)
  /// The `gpt2` preset's pretrained weights are not in the data directory.
  case missingPretrainedWeights(path: String)

  /// A one-line explanation naming the value and the rule it breaks.
  public var description: String {
    switch self {
    case .invalidParameter(let name, let value, let allowed):
      return "\(name) must be \(allowed), got \(value)"
    case .riskRampEmpty(let rhoM, let warmStart):
      return "⌈ρM⌉ = \(rhoM) must exceed the warm start n = \(warmStart)"
        + " (raise ρ or M, or lower n)"
    case .emptyTail(let alpha, let batchSize):
      return "⌈αB⌉ must be at least 1, got α = \(alpha) with B = \(batchSize)"
    case .shapeMismatch(let name, let expected, let got):
      return "\(name) must have \(expected) elements, got \(got)"
    case .maskTooSmall(let quantity, let kept, let needed):
      return "\(quantity) needs at least \(needed) kept entries, got \(kept)"
    case .nonFinite(let iteration, let quantity, let value):
      return "iteration \(iteration): \(quantity) is \(value)"
        + " (must be finite)"
    case .nonFiniteInput(let name, let index, let value):
      return "\(name)[\(index)] is \(value) (must be finite)"
    case .emptyInput(let name):
      return "\(name) is empty (at least one value is needed)"
    case .unusableCheckpoint(let path, let reason):
      return "checkpoint \(path) cannot resume the run: \(reason)"
        + " (delete it to restart the run from its beginning)"
    case .missingPretrainedWeights(let path):
      return "preset gpt2 starts from GPT-2 124M's weights, expected at \(path)"
        + " (Hugging Face's gpt2 model.safetensors, placed there by hand);"
        + " use preset paper to train a base model here instead"
    }
  }
}
