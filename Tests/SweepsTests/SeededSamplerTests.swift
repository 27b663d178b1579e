import Testing

@testable import Sweeps

@Suite struct SeededSamplerTests {
  @Test func matchesSplitMix64ReferenceOutput() {
    // Vigna's splitmix64.c with state 0 first returns 0xE220A8397B1DCDAF.
    var sampler = SeededSampler(seed: 0)
    #expect(sampler.next() == 0xE220_A839_7B1D_CDAF)
  }

  @Test func choosesDistinctSortedIndicesInRange() {
    var sampler = SeededSampler(seed: 42)
    for total in 1...20 {
      for count in 0...total {
        let chosen = sampler.choose(count, of: total)
        #expect(chosen.count == count)
        #expect(Set(chosen).count == count)
        #expect(chosen == chosen.sorted())
        #expect(chosen.allSatisfy { (0..<total).contains($0) })
      }
    }
  }

  @Test func drawsEveryIndexAboutEquallyOften() {
    var sampler = SeededSampler(seed: 3)
    var counts = Array(repeating: 0, count: 5)
    for _ in 0..<5_000 {
      for index in sampler.choose(2, of: 5) { counts[index] += 1 }
    }
    // Each index is expected 2,000 times; 5 standard deviations ≈ 155.
    #expect(counts.allSatisfy { abs($0 - 2_000) < 155 }, "\(counts)")
  }
}
