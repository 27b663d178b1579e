import Foundation

/// A seedable pseudo-random generator (xoshiro256**, Blackman and Vigna 2018)
/// from which independent streams are derived by name or index.
///
/// One seed fixes every random source of a run: derive a stream per purpose
/// (`rng.derived("init")`, `rng.derived("dropout")`, `rng.derived("sampling")`,
/// `rng.derived("shuffle")`) and further per index (`.derived(layer)`).
/// A derived stream depends only on the parent's *key* (its seed and
/// derivation path), never on how many numbers the parent has produced, so
/// adding a draw in one stream does not shift any other stream.
///
/// The state is seeded through SplitMix64 as the xoshiro authors recommend.
/// Conforms to `RandomNumberGenerator`, so `array.shuffle(using: &rng)` works.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
  /// The key this stream was made from: the seed, mixed with every label on
  /// the derivation path.
  public let key: UInt64
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64
  private var spareNormal: Float?

  /// A generator whose stream is fixed by `seed`.
  public init(seed: UInt64) {
    key = seed
    var mixer = seed
    s0 = RandomGenerator.splitMix(&mixer)
    s1 = RandomGenerator.splitMix(&mixer)
    s2 = RandomGenerator.splitMix(&mixer)
    s3 = RandomGenerator.splitMix(&mixer)
    spareNormal = nil
  }

  /// A generator with the raw xoshiro256** state `state` (for checking
  /// against published output vectors).
  init(key: UInt64, state: (UInt64, UInt64, UInt64, UInt64)) {
    self.key = key
    (s0, s1, s2, s3) = state
    spareNormal = nil
  }

  /// An independent stream named `label`, fixed by this stream's key and the
  /// label (FNV-1a of its UTF-8 bytes), whatever has been drawn so far.
  public func derived(_ label: String) -> RandomGenerator {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in label.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    return derived(salt: hash)
  }

  /// An independent stream numbered `index` (for example one per layer,
  /// worker or episode), fixed by this stream's key and the index.
  public func derived(_ index: Int) -> RandomGenerator {
    derived(salt: UInt64(bitPattern: Int64(index)) &+ 0x5851_f42d_4c95_7f2d)
  }

  private func derived(salt: UInt64) -> RandomGenerator {
    var mixer = key ^ (salt &* 0x9e37_79b9_7f4a_7c15)
    let first = RandomGenerator.splitMix(&mixer)
    return RandomGenerator(seed: first ^ RandomGenerator.splitMix(&mixer))
  }

  /// The next 64 random bits (xoshiro256**).
  public mutating func next() -> UInt64 {
    let result = RandomGenerator.rotate(s1 &* 5, 7) &* 9
    let shifted = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= shifted
    s3 = RandomGenerator.rotate(s3, 45)
    return result
  }

  /// A uniform `Float` in [0, 1) with 24 random bits.
  @inlinable
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// A standard normal `Float` (mean 0, variance 1) by the Box-Muller
  /// transform, computed in `Double`; the second value of each pair is kept
  /// for the next call.
  public mutating func nextNormal() -> Float {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1 = 1 - Double(next() >> 11) * 0x1p-53
    let u2 = Double(next() >> 11) * 0x1p-53
    let radius = (-2 * Foundation.log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    spareNormal = Float(radius * Foundation.sin(angle))
    return Float(radius * Foundation.cos(angle))
  }

  // MARK: - Categorical sampling

  /// An index drawn with probability proportional to `weights[i]` (which
  /// need not sum to one).
  ///
  /// - Throws: `TensorError.invalidProbabilities` when `weights` is empty,
  ///   holds a negative or non-finite value, or sums to zero.
  public mutating func categorical(weights: [Float]) throws(TensorError) -> Int {
    var total: Double = 0
    for weight in weights {
      guard weight.isFinite, weight >= 0 else {
        throw .invalidProbabilities("weight \(weight)")
      }
      total += Double(weight)
    }
    guard total > 0 else { throw .invalidProbabilities("\(weights.count) weights sum to 0") }
    let threshold = Double(next() >> 11) * 0x1p-53 * total
    var cumulative: Double = 0
    for (index, weight) in weights.enumerated() {
      cumulative += Double(weight)
      if threshold < cumulative { return index }
    }
    return weights.lastIndex { $0 > 0 } ?? weights.count - 1
  }

  /// An index drawn from the categorical distribution softmax(`logits` /
  /// `temperature`), for sampling tokens from a language model's logits.
  ///
  /// - Parameters:
  ///   - logits: unnormalised log-probabilities, `[V]`; `-infinity` excludes
  ///     an index.
  ///   - temperature: > 0; 1 samples the model's own distribution.
  /// - Throws: `TensorError.invalidProbabilities` when there are no logits,
  ///   a logit is NaN or `+infinity`, or every logit is `-infinity`.
  public mutating func categorical(
    logits: UnsafeBufferPointer<Float>, temperature: Float = 1
  ) throws(TensorError) -> Int {
    precondition(temperature > 0, "temperature must be > 0, got \(temperature)")
    let count = logits.count
    guard let base = logits.baseAddress, count > 0 else {
      throw .invalidProbabilities("no logits")
    }
    let maximum = Kernels.maximum(base, count: count)
    guard maximum > -.infinity else {
      throw .invalidProbabilities("all \(count) logits are -infinity or NaN")
    }
    // Scaling by 1/temperature after the shift keeps the largest weight at 1.
    let inverse = 1 / temperature
    let weights = [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
      let target = buffer.baseAddress!
      for index in 0..<count { target[index] = Kernels.exp((base[index] - maximum) * inverse) }
      initialised = count
    }
    return try weights.withUnsafeBufferPointer { (buffer) throws(TensorError) -> Int in
      let pointer = buffer.baseAddress!
      let total = Kernels.sum(pointer, count: count)
      // A NaN or +infinity logit makes a weight, and so the total, NaN.
      guard total.isFinite, total > 0 else {
        throw .invalidProbabilities("a logit is NaN or +infinity")
      }
      let threshold = Float(Double(next() >> 11) * 0x1p-53) * total
      // Whole blocks are skipped by their sums; the crossing block is
      // scanned element by element.
      let blockSize = 64
      var cumulative: Float = 0
      var start = 0
      while start < count {
        let length = Swift.min(blockSize, count - start)
        let blockSum = Kernels.sum(pointer + start, count: length)
        if cumulative + blockSum > threshold {
          for index in start..<(start + length) where pointer[index] > 0 {
            cumulative += pointer[index]
            if threshold < cumulative { return index }
          }
        } else {
          cumulative += blockSum
        }
        start += length
      }
      // Rounding left the threshold just above the last partial sum.
      return (0..<count).last { pointer[$0] > 0 } ?? count - 1
    }
  }

  /// An index drawn from softmax(`logits` / `temperature`); see
  /// `categorical(logits:temperature:)` on a buffer.
  public mutating func categorical(
    logits: [Float], temperature: Float = 1
  ) throws(TensorError) -> Int {
    try logits.withUnsafeBufferPointer { (buffer) throws(TensorError) -> Int in
      try categorical(logits: buffer, temperature: temperature)
    }
  }

  /// One index per row of `logits` (`[..., V]`, row-major), each drawn from
  /// softmax(row / `temperature`); returns `count / V` indices in row order.
  public mutating func categorical(
    rowsOf logits: Tensor, temperature: Float = 1
  ) throws(TensorError) -> [Int] {
    precondition(logits.rank >= 1, "logits need at least one axis")
    let width = logits.shape[logits.rank - 1]
    let rows = width == 0 ? 0 : logits.count / width
    var indices = [Int]()
    indices.reserveCapacity(rows)
    try logits.scalars.withUnsafeBufferPointer { (all) throws(TensorError) in
      for row in 0..<rows {
        let slice = UnsafeBufferPointer(rebasing: all[row * width..<(row + 1) * width])
        indices.append(try categorical(logits: slice, temperature: temperature))
      }
    }
    return indices
  }

  private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
  }

  /// The next value of the SplitMix64 sequence (Steele, Lea and Flood 2014).
  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
