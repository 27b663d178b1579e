/// Records operations on variables so that gradients can be propagated back
/// through them (reverse-mode automatic differentiation, as PyTorch's
/// autograd does).
///
/// Every differentiable operation is a method on a tape:
/// `tape.linear(x, weight: w, bias: b)`, `tape.gelu(h)`, `tape.sum(loss)`.
/// An operation is recorded only when the tape is recording and one of its
/// inputs requires a gradient; otherwise it only computes its value, so the
/// same forward code serves training and inference:
///
/// ```swift
/// let tape = Tape()
/// let loss = tape.mean(tape.negate(tape.logProbabilities(logits, targets: ids)))
/// tape.backward(from: loss)          // parameters' grads now hold ∂loss/∂p
/// let inference = Tape(recording: false)  // no-grad: nothing is recorded
/// ```
///
/// A tape holds its operations' inputs alive until it is released; make one
/// per forward/backward step. Backward passes may be run several times on one
/// tape (gradients of leaves accumulate).
///
/// Tapes, variables and parameters are not thread-safe: use them from one
/// thread (or task) at a time. Parallel runs use separate processes, each
/// with its own BLAS thread setting (see `BLAS`).
public final class Tape {
  /// One recorded operation: its output and the function that, given the
  /// gradient of the output, accumulates gradients into its inputs.
  struct Record {
    let output: Variable
    let backward: (Tensor) -> Void
  }

  private var records: [Record] = []

  /// Whether operations are recorded; `false` is the no-grad mode.
  public private(set) var isRecording: Bool

  /// A tape that records when `recording` is true (the default).
  public init(recording: Bool = true) {
    isRecording = recording
  }

  /// The number of operations recorded so far.
  public var recordedCount: Int { records.count }

  /// Runs `body` with recording switched off (no-grad mode) and restores the
  /// previous mode afterwards.
  public func withoutRecording<Result>(_ body: () throws -> Result) rethrows -> Result {
    let previous = isRecording
    isRecording = false
    defer { isRecording = previous }
    return try body()
  }

  // MARK: - Backward

  /// Propagates `gradient` (shaped like `root.value`; ones when `nil`, the
  /// usual choice for a scalar loss) back from `root`, adding the result to
  /// the `grad` of every leaf that requires one.
  ///
  /// Use an explicit `gradient` to push an analytically computed upstream
  /// gradient into the network, for example ∂L/∂(per-token log-probability)
  /// from a PPO loss.
  public func backward(from root: Variable, gradient: Tensor? = nil) {
    backward(seeds: [(root, gradient ?? Tensor.ones(root.shape))])
  }

  /// Propagates several upstream gradients at once, for example ∂L/∂logp
  /// and ∂L/∂value into one network, in a single reverse sweep. Each seed's
  /// gradient must have its variable's shape.
  public func backward(seeds: [(Variable, Tensor)]) {
    for (variable, gradient) in seeds {
      precondition(
        gradient.shape == variable.shape,
        "seed gradient of shape \(gradient.shape) for a value of shape \(variable.shape)")
      if variable.requiresGrad { variable.accumulate(gradient) }
    }
    for record in records.reversed() {
      guard let gradient = record.output.grad else { continue }
      record.output.grad = nil
      record.backward(gradient)
    }
  }

  // MARK: - Recording

  /// Whether an operation on `inputs` must be recorded.
  @inline(__always)
  func records(_ inputs: Variable...) -> Bool {
    isRecording && inputs.contains { $0.requiresGrad }
  }

  /// Whether an operation on `inputs` must be recorded.
  @inline(__always)
  func records(_ inputs: [Variable]) -> Bool {
    isRecording && inputs.contains { $0.requiresGrad }
  }

  /// Wraps `value` as the output of an operation; when `recorded`, the
  /// output requires a gradient and `backward` is called with it during
  /// backward passes.
  func output(
    _ value: Tensor, recorded: Bool, backward: @escaping (Tensor) -> Void
  ) -> Variable {
    let output = Variable(value, requiresGrad: recorded)
    if recorded { records.append(Record(output: output, backward: backward)) }
    return output
  }
}
