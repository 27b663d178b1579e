import Foundation
import Testing

@testable import Tensors

@Suite struct RandomGeneratorTests {
  /// The xoshiro256** outputs for state (1, 2, 3, 4), as published with
  /// the reference implementation's test vectors (also used by Rust's
  /// `rand_xoshiro`).
  @Test func xoshiroMatchesPublishedVector() {
    var generator = RandomGenerator(key: 0, state: (1, 2, 3, 4))
    let expected: [UInt64] = [
      11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
      607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
      10_595_114_339_597_558_777, 2_904_607_092_377_533_576,
    ]
    #expect((0..<10).map { _ in generator.next() } == expected)
  }

  /// SplitMix64 from seed 1234567, as in Vigna's `splitmix64.c` tests.
  @Test func splitMixMatchesPublishedVector() {
    var state: UInt64 = 1_234_567
    let expected: [UInt64] = [
      6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
      4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
    ]
    #expect((0..<5).map { _ in RandomGenerator.splitMix(&state) } == expected)
  }

  @Test func sameSeedGivesSameStream() {
    var a = RandomGenerator(seed: 42)
    var b = RandomGenerator(seed: 42)
    var c = RandomGenerator(seed: 43)
    let first = (0..<100).map { _ in a.next() }
    #expect(first == (0..<100).map { _ in b.next() })
    #expect(first != (0..<100).map { _ in c.next() })
  }

  @Test func derivedStreamIgnoresParentConsumption() {
    let fresh = RandomGenerator(seed: 9)
    var used = RandomGenerator(seed: 9)
    for _ in 0..<1000 { _ = used.next() }
    var fromFresh = fresh.derived("dropout")
    var fromUsed = used.derived("dropout")
    #expect((0..<10).map { _ in fromFresh.next() } == (0..<10).map { _ in fromUsed.next() })
  }

  @Test func derivedStreamsDiffer() {
    let root = RandomGenerator(seed: 1)
    var streams = [
      root, root.derived("init"), root.derived("dropout"), root.derived(0), root.derived(1),
      root.derived("init").derived(0), RandomGenerator(seed: 2).derived("init"),
    ]
    let firsts = streams.indices.map { index in
      (0..<4).map { _ in streams[index].next() }
    }
    #expect(Set(firsts.map { "\($0)" }).count == firsts.count)
  }

  /// Streams derived by name are uncorrelated: the sample correlation of
  /// 20,000 uniform pairs is within 4 standard errors (4/√n ≈ 0.028) of 0.
  @Test func derivedStreamsAreUncorrelated() {
    var a = RandomGenerator(seed: 5).derived("a")
    var b = RandomGenerator(seed: 5).derived("b")
    let n = 20_000
    var sumAB: Double = 0
    var sumA: Double = 0
    var sumB: Double = 0
    var sumAA: Double = 0
    var sumBB: Double = 0
    for _ in 0..<n {
      let x = Double(a.nextUniform())
      let y = Double(b.nextUniform())
      sumAB += x * y
      sumA += x
      sumB += y
      sumAA += x * x
      sumBB += y * y
    }
    let count = Double(n)
    let covariance = sumAB / count - sumA * sumB / (count * count)
    let varianceA = sumAA / count - (sumA / count) * (sumA / count)
    let varianceB = sumBB / count - (sumB / count) * (sumB / count)
    let correlation = covariance / (varianceA * varianceB).squareRoot()
    #expect(Swift.abs(correlation) < 4 / count.squareRoot())
  }

  /// Moments of 100,000 draws within 5 standard errors: uniform mean 1/2
  /// (σ = 1/√12), normal mean 0 and variance 1 (σ of the variance √2).
  @Test func uniformAndNormalHaveTheRightMoments() {
    var generator = RandomGenerator(seed: 77)
    let n = 100_000
    let count = Double(n)
    var uniformSum: Double = 0
    var minimum: Float = 1
    var maximum: Float = 0
    for _ in 0..<n {
      let u = generator.nextUniform()
      uniformSum += Double(u)
      minimum = Swift.min(minimum, u)
      maximum = Swift.max(maximum, u)
    }
    #expect(Swift.abs(uniformSum / count - 0.5) < 5 * (1 / 12.0).squareRoot() / count.squareRoot())
    #expect(minimum >= 0 && maximum < 1)
    var sum: Double = 0
    var sumOfSquares: Double = 0
    for _ in 0..<n {
      let z = Double(generator.nextNormal())
      sum += z
      sumOfSquares += z * z
    }
    let mean = sum / count
    let variance = sumOfSquares / count - mean * mean
    #expect(Swift.abs(mean) < 5 / count.squareRoot())
    #expect(Swift.abs(variance - 1) < 5 * 2.0.squareRoot() / count.squareRoot())
  }

  /// 40,000 draws from weights (1, 0, 3) and from logits log(1, 0, 3) hit
  /// index 2 with frequency 3/4 within 5 standard errors and never index 1.
  @Test func categoricalFollowsTheWeights() throws {
    var generator = RandomGenerator(seed: 3)
    let n = 40_000
    var countsFromWeights = [0, 0, 0]
    var countsFromLogits = [0, 0, 0]
    for _ in 0..<n {
      countsFromWeights[try generator.categorical(weights: [1, 0, 3])] += 1
      countsFromLogits[try generator.categorical(logits: [0, -.infinity, 1.098_612_3])] += 1
    }
    let tolerance = 5 * (0.75 * 0.25 / Double(n)).squareRoot()
    for counts in [countsFromWeights, countsFromLogits] {
      #expect(counts[1] == 0)
      #expect(Swift.abs(Double(counts[2]) / Double(n) - 0.75) < tolerance)
    }
  }

  @Test func lowTemperatureSamplesTheArgmax() throws {
    var generator = RandomGenerator(seed: 8)
    let logits = Tensor(shape: [2, 4], scalars: [0, 1, 3, 2, 5, 0, 0, 4.9])
    let picks = try (0..<50).map { _ in
      try generator.categorical(rowsOf: logits, temperature: 0.001)
    }
    #expect(picks.allSatisfy { $0 == [2, 0] })
  }

  @Test(arguments: [[Float](), [0, 0], [1, -1], [1, .nan]])
  func categoricalRefusesInvalidWeights(_ weights: [Float]) {
    var generator = RandomGenerator(seed: 1)
    #expect(throws: TensorError.self) { try generator.categorical(weights: weights) }
  }

  /// 200 logits span four scan blocks of 64: index 150 has weight 100
  /// against 199 of weight 1 (p = 100/299), index 199 must be reachable,
  /// and 20,000 draws match p within 5 standard errors.
  @Test func categoricalScansAcrossBlocks() throws {
    var generator = RandomGenerator(seed: 44)
    var logits = [Float](repeating: 0, count: 200)
    logits[150] = Foundation.log(100)
    let n = 20_000
    var hits = 0
    var last = 0
    for _ in 0..<n {
      let index = try generator.categorical(logits: logits)
      if index == 150 { hits += 1 }
      if index == 199 { last += 1 }
    }
    let p = 100.0 / 299.0
    #expect(Swift.abs(Double(hits) / Double(n) - p) < 5 * (p * (1 - p) / Double(n)).squareRoot())
    #expect(last > 0)
  }

  @Test(arguments: [[Float](), [1, .nan], [.infinity, 0]])
  func categoricalRefusesInvalidLogits(_ logits: [Float]) {
    var generator = RandomGenerator(seed: 1)
    #expect(throws: TensorError.self) { try generator.categorical(logits: logits) }
  }

  @Test func categoricalRefusesAllMaskedLogits() {
    var generator = RandomGenerator(seed: 1)
    #expect(throws: TensorError.self) {
      try generator.categorical(logits: [-.infinity, -.infinity])
    }
  }

  @Test func shuffleIsDeterministicPerSeed() {
    var a = RandomGenerator(seed: 12).derived("shuffle")
    var b = RandomGenerator(seed: 12).derived("shuffle")
    let first = Array(0..<50).shuffled(using: &a)
    #expect(first == Array(0..<50).shuffled(using: &b))
    #expect(first != Array(0..<50))
  }
}
