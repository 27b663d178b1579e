/// A supervised training stage: the base language model (`base.*`), the
/// SFT model (`sft.*`) or the reward model (`reward.*`).
public struct TrainingSettings: Sendable, Equatable {
  /// Passes over the stage's texts; 0 skips training (for `base.*`: keep
  /// the loaded or initial weights).
  public var epochs: Int
  /// Adam learning rate, per step.
  public var learningRate: Double
  /// Sequences per optimiser step.
  public var batchSize: Int

  /// Settings with every field given.
  public init(epochs: Int, learningRate: Double, batchSize: Int) {
    self.epochs = epochs
    self.learningRate = learningRate
    self.batchSize = batchSize
  }
}
