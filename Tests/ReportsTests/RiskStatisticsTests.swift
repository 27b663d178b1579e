import Testing

@testable import Reports

@Suite struct RiskStatisticsTests {
  @Test(arguments: [
    (0.05, 1.0), (0.10, 1.5), (0.20, 2.5), (0.25, 3.0), (1.0, 10.5),
  ])
  func cvarAveragesTheLowestCeilingShare(level: Double, expected: Double) throws {
    let values = (1...20).reversed().map(Double.init)
    let cvar = try #require(
      RiskStatistics.conditionalValueAtRisk(values, level: level))
    #expect(abs(cvar - expected) < 1e-12)
  }

  @Test func cvarIgnoresNaNAndEmpty() {
    #expect(RiskStatistics.conditionalValueAtRisk([.nan, 2, 4], level: 0.5) == 2)
    #expect(RiskStatistics.conditionalValueAtRisk([], level: 0.5) == nil)
  }

  @Test func quantileCurveRanksPromptsByTheirOwnScore() {
    // Prompt 1 has the lowest score but a high reward; two completions
    // of prompt 2 average to 0.
    let episodes = [
      EvaluationEpisode(promptRef: 3, promptClass: nil, promptScore: 5, reward: 9),
      EvaluationEpisode(promptRef: 1, promptClass: nil, promptScore: -5, reward: 4),
      EvaluationEpisode(promptRef: 2, promptClass: nil, promptScore: 0, reward: -1),
      EvaluationEpisode(promptRef: 2, promptClass: nil, promptScore: 0, reward: 1),
    ]
    let curve = RiskStatistics.quantileCurve(episodes)
    #expect(curve.count == 100)
    #expect(curve[0] == 4)  // q = 1 %: ⌊0.03⌋ = 0, at least 1 prompt
    #expect(curve[65] == 4)  // q = 66 %: ⌊1.98⌋ = 1 prompt
    #expect(curve[66] == 2)  // q = 67 %: ⌊2.01⌋ = 2 prompts, (4 + 0) / 2
    #expect(curve[98] == 2)  // q = 99 %: ⌊2.97⌋ = 2 prompts
    #expect(curve[99] == 13.0 / 3)
  }

  @Test func seedBandCountsSeedsPerIteration() {
    let band = RiskStatistics.seedBand([
      [CurvePoint(iteration: 0, value: 1), CurvePoint(iteration: 1, value: 3)],
      [CurvePoint(iteration: 0, value: 3)],
    ])
    #expect(band.map(\.iteration) == [0, 1])
    #expect(band[0].estimate.mean == 2)
    #expect(band[0].estimate.count == 2)
    #expect(band[1].estimate.count == 1)
  }
}
