import Testing

@testable import Reports

@Suite struct EstimateTests {
  @Test func sampleStandardDeviationUsesNMinusOne() throws {
    let estimate = try #require(Estimate(samples: [1, 2, 3, 4]))
    #expect(estimate.mean == 2.5)
    // Σ(x − 2.5)² = 5; 5 / 3.
    let deviation = try #require(estimate.standardDeviation)
    #expect(abs(deviation - (5.0 / 3).squareRoot()) < 1e-12)
    #expect(estimate.count == 4)
  }

  @Test func singleSampleHasNoDeviation() throws {
    let estimate = try #require(Estimate(samples: [0.12]))
    #expect(estimate.standardDeviation == nil)
    #expect(Estimate(samples: []) == nil)
  }

  @Test func nanSamplePropagates() throws {
    let estimate = try #require(Estimate(samples: [1, .nan]))
    #expect(estimate.mean.isNaN)
  }
}
