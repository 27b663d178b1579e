/// Means, variances and whitening over the entries of a flat array whose
/// mask is 1, as TRL 0.7's `masked_mean`, `masked_var` and `masked_whiten`.
///
/// Masks hold 0 or 1 (other weights are accepted and act as weights). Sums
/// are accumulated in `Double` in index order.
public enum MaskedStatistics {
  /// Σ mᵢxᵢ / Σ mᵢ.
  ///
  /// - Parameters:
  ///   - values: any shape, flattened; same count as `mask`.
  ///   - mask: weights, usually 0/1, same layout as `values`.
  /// - Throws: `RLHFError.maskTooSmall` when Σ mᵢ = 0.
  public static func mean(_ values: [Double], mask: [Double]) throws -> Double {
    precondition(values.count == mask.count, "values and mask differ in size")
    var weighted = 0.0
    var total = 0.0
    for i in values.indices {
      weighted += values[i] * mask[i]
      total += mask[i]
    }
    guard total > 0 else {
      throw RLHFError.maskTooSmall(quantity: "masked mean", kept: 0, needed: 1)
    }
    return weighted / total
  }

  /// The masked variance with Bessel's correction, as torch's unbiased
  /// estimate: mean of (x − x̄)² over the mask, times Σm/(Σm − 1).
  ///
  /// - Throws: `RLHFError.maskTooSmall` when Σ mᵢ ≤ 1, where the unbiased
  ///   estimate is undefined (TRL would return inf or NaN).
  public static func variance(_ values: [Double], mask: [Double]) throws -> Double {
    let total = mask.reduce(0, +)
    guard total > 1 else {
      throw RLHFError.maskTooSmall(
        quantity: "masked unbiased variance", kept: Int(total), needed: 2)
    }
    let center = try mean(values, mask: mask)
    var squares = 0.0
    for i in values.indices {
      let deviation = values[i] - center
      squares += deviation * deviation * mask[i]
    }
    return squares / total * (total / (total - 1))
  }

  /// (x − x̄)/√(var + 1e-8) for every entry, with x̄ and var taken over the
  /// mask only (masked-out entries are transformed too, but carry no weight
  /// in the statistics).
  ///
  /// - Parameter shiftMean: when false, x̄ is added back (TRL's
  ///   `shift_mean=False`).
  /// - Throws: `RLHFError.maskTooSmall` when Σ mᵢ ≤ 1.
  public static func whiten(
    _ values: [Double], mask: [Double], shiftMean: Bool = true
  ) throws -> [Double] {
    let center = try mean(values, mask: mask)
    let spread = try variance(values, mask: mask)
    let scale = 1 / (spread + 1e-8).squareRoot()
    return values.map { ($0 - center) * scale + (shiftMean ? 0 : center) }
  }
}
