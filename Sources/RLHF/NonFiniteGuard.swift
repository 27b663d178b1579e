/// Stops a run at the first NaN or infinite loss or statistic, naming the
/// iteration and the quantity, instead of letting it poison the weights and
/// the database.
public enum NonFiniteGuard {
  /// Throws unless `value` is finite.
  ///
  /// - Throws: `RLHFError.nonFinite(iteration:quantity:value:)`.
  public static func check(_ value: Double, _ quantity: String, iteration: Int) throws {
    guard value.isFinite else {
      throw RLHFError.nonFinite(iteration: iteration, quantity: quantity, value: value)
    }
  }

  /// Throws at the first non-finite entry, taking names in sorted order so
  /// the error is the same on every run.
  ///
  /// - Throws: `RLHFError.nonFinite(iteration:quantity:value:)`.
  public static func check(_ statistics: [String: Double], iteration: Int) throws {
    for name in statistics.keys.sorted() {
      try check(statistics[name] ?? 0, name, iteration: iteration)
    }
  }

  /// Throws at the first non-finite element of `values`, naming it
  /// `quantity[index]`.
  ///
  /// - Throws: `RLHFError.nonFinite(iteration:quantity:value:)`.
  public static func check(_ values: [Double], _ quantity: String, iteration: Int) throws {
    for (index, value) in values.enumerated() where !value.isFinite {
      throw RLHFError.nonFinite(
        iteration: iteration, quantity: "\(quantity)[\(index)]", value: value)
    }
  }
}
