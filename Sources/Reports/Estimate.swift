/// A mean over seeds with its sample standard deviation and seed count.
///
/// The standard deviation is the sample one (divisor n − 1), as the paper
/// reports; it is `nil` when there is a single sample, where it is undefined.
/// A NaN sample makes the mean and the standard deviation NaN: a diverged
/// seed is shown, never silently dropped.
public struct Estimate: Sendable, Hashable {
  /// The arithmetic mean of the samples.
  public var mean: Double
  /// The sample standard deviation (n − 1 divisor); `nil` when `n < 2`.
  public var standardDeviation: Double?
  /// The number of samples (seeds), at least 1.
  public var count: Int

  /// An estimate from explicit values.
  ///
  /// - Parameters:
  ///   - mean: the mean.
  ///   - standardDeviation: the sample standard deviation, `nil` for n = 1.
  ///   - count: the number of samples, at least 1.
  public init(mean: Double, standardDeviation: Double?, count: Int) {
    precondition(count >= 1, "an estimate needs at least one sample")
    self.mean = mean
    self.standardDeviation = standardDeviation
    self.count = count
  }

  /// The mean and sample standard deviation of `samples`; `nil` when empty.
  ///
  /// - Parameter samples: one value per seed, `[n]`.
  public init?(samples: [Double]) {
    guard !samples.isEmpty else { return nil }
    let n = Double(samples.count)
    let mean = samples.reduce(0, +) / n
    var deviation: Double? = nil
    if samples.count > 1 {
      let squares = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
      deviation = (squares / (n - 1)).squareRoot()
    }
    self.init(mean: mean, standardDeviation: deviation, count: samples.count)
  }
}
