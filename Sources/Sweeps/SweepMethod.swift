/// How a sweep chooses its runs from the parameters' values.
public enum SweepMethod: Sendable, Equatable {
  /// Every combination of the values (the Cartesian product).
  case grid
  /// `count` configurations drawn with a generator seeded by `seed`: without
  /// replacement from the grid when every parameter lists values, else each
  /// parameter independently (values uniformly, distributions as given).
  /// Each drawn configuration runs for every value of the `seed` parameter,
  /// which is never sampled unless it has a distribution.
  case random(count: Int, seed: UInt64)
}
