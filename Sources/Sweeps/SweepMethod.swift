/// How a sweep chooses its runs from the parameters' values.
public enum SweepMethod: Sendable, Equatable {
  /// Every combination of the values (the Cartesian product).
  case grid
  /// `count` configurations drawn without replacement from the grid with a
  /// generator seeded by `seed`; each drawn configuration runs for every
  /// value of the `seed` parameter, which is never sampled.
  case random(count: Int, seed: UInt64)
}
