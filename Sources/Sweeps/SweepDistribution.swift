import Configuration
import Foundation

/// A distribution a `method: random` sweep draws a parameter's value from,
/// as W&B sweeps name them.
///
/// Drawn reals are rounded to 4 significant digits (then kept inside
/// [min, max]), so runs read well in listings and names and the draws do
/// not depend on the last bit of the platform's `log` and `exp`.
public enum SweepDistribution: Sendable, Equatable {
  /// `uniform`: a real uniform in [min, max].
  case uniform(min: Double, max: Double)
  /// `log_uniform_values`: a real whose logarithm is uniform in
  /// [log min, log max]; min > 0.
  case logUniform(min: Double, max: Double)
  /// `int_uniform`: an integer uniform in min...max.
  case intUniform(min: Int, max: Int)

  /// The names of the distributions, as written in sweep files.
  public static let names = ["uniform", "log_uniform_values", "int_uniform"]

  /// A value drawn with `sampler`.
  func draw(using sampler: inout SeededSampler) -> ConfigurationValue {
    switch self {
    case .uniform(let min, let max):
      return .real(
        Self.rounded(min + sampler.nextUnit() * (max - min), min, max))
    case .logUniform(let min, let max):
      let exponent = log(min) + sampler.nextUnit() * (log(max) - log(min))
      return .real(Self.rounded(exp(exponent), min, max))
    case .intUniform(let min, let max):
      return .int(min + sampler.next(below: max - min + 1))
    }
  }

  private static func rounded(_ value: Double, _ min: Double, _ max: Double)
    -> Double
  {
    let rounded = Double(String(format: "%.4g", value)) ?? value
    return Swift.min(Swift.max(rounded, min), max)
  }
}

extension SeededSampler {
  /// A uniform real in [0, 1) with 53 random bits.
  mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1p-53
  }
}
