/// SplitMix64 (Steele, Lea and Flood 2014), the sampler of `method: random`.
///
/// Written out here rather than taken from the standard library so that a
/// sweep file with a given `seed` draws the same runs on every platform and
/// Swift version.
struct SeededSampler {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `0..<bound`, by rejection (no modulo bias).
  mutating func next(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let limit = UInt64.max - UInt64.max % UInt64(bound)
    while true {
      let value = next()
      if value < limit { return Int(value % UInt64(bound)) }
    }
  }

  /// `count` distinct indices of `0..<total`, in increasing order (a partial
  /// Fisher–Yates shuffle).
  mutating func choose(_ count: Int, of total: Int) -> [Int] {
    precondition(count <= total, "cannot choose \(count) of \(total)")
    var indices = Array(0..<total)
    for index in 0..<count {
      indices.swapAt(index, index + next(below: total - index))
    }
    return indices.prefix(count).sorted()
  }
}
