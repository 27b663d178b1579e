/// One value of a training statistic at one PPO iteration.
public struct CurvePoint: Sendable, Hashable {
  /// The iteration, 0-based.
  public var iteration: Int
  /// The value; NaN where the store holds NULL.
  public var value: Double

  /// A point of a training curve.
  public init(iteration: Int, value: Double) {
    self.iteration = iteration
    self.value = value
  }
}
