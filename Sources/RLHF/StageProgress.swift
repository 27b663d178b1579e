/// Where the training of a shared stage (base model, SFT, a classifier)
/// is, reported about every tenth of an epoch and at each epoch's end, so
/// that a stage of many minutes says how far it has come.
public struct StageProgress: Sendable, Equatable, CustomStringConvertible {
  /// The epoch, from 0.
  public var epoch: Int
  /// The epochs the stage trains.
  public var epochs: Int
  /// The steps done in this epoch.
  public var step: Int
  /// The steps of one epoch.
  public var steps: Int
  /// The mean loss of this epoch's steps so far.
  public var meanLoss: Double

  /// Whether this epoch's steps are all done.
  public var epochEnded: Bool { step == steps }

  /// `epoch 1/3, step 57/563: loss 5.91`, or `epoch 1/3: loss 5.87` at
  /// the epoch's end; epochs counted from 1.
  public var description: String {
    let position = "epoch \(epoch + 1)/\(epochs)" + (epochEnded ? "" : ", step \(step)/\(steps)")
    return position + ": loss \(meanLoss)"
  }

  /// Whether step `step` (from 1) of an epoch of `steps` is reported: every
  /// ⌈steps / 10⌉-th step and the last.
  static func isReported(step: Int, of steps: Int) -> Bool {
    let interval = max(1, (steps + 9) / 10)
    return step == steps || step % interval == 0
  }
}
