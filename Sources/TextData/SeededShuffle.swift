/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator whose
/// output is fixed by its seed, so every set drawn from the data is a pure
/// function of the seed, whatever the Swift version.
struct SplitMix64 {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }

  /// A uniform integer in `0..<bound`, by rejection (no modulo bias).
  mutating func next(below bound: Int) -> Int {
    precondition(bound > 0, "bound must be positive")
    let range = UInt64(bound)
    let limit = UInt64.max - UInt64.max % range
    while true {
      let value = next()
      if value < limit { return Int(value % range) }
    }
  }
}

extension Array {
  /// The elements in an order drawn from `seed` (Fisher–Yates); `salt`
  /// keeps draws for different purposes from sharing a sequence.
  func shuffled(seed: UInt64, salt: UInt64) -> [Element] {
    var generator = SplitMix64(seed: seed ^ (salt &* 0xD6E8_FEB8_6659_FD93))
    var result = self
    var index = result.count - 1
    while index > 0 {
      result.swapAt(index, generator.next(below: index + 1))
      index -= 1
    }
    return result
  }
}
