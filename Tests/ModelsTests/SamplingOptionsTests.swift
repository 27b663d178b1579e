import Testing

@testable import Models

@Suite struct SamplingOptionsTests {
  static let logits: [Float] = [2, 0, 1, -1, 2]

  @Test func topKKeepsTheLargestAndTies() {
    var scores = Self.logits
    SamplingOptions(topK: 1).filter(&scores)
    #expect(scores == [2, -.infinity, -.infinity, -.infinity, 2])
    scores = Self.logits
    SamplingOptions(topK: 3).filter(&scores)
    #expect(scores == [2, -.infinity, 1, -.infinity, 2])
  }

  @Test func temperatureDividesTheLogits() {
    var scores = Self.logits
    SamplingOptions(temperature: 0.5).filter(&scores)
    #expect(scores == [4, 0, 2, -2, 4])
  }

  /// Probabilities of [2, 0, 1, -1, 2] are about [0.39, 0.05, 0.14, 0.02,
  /// 0.39]: the two 2s hold 0.783, with the 1 they hold 0.928.
  @Test(arguments: [
    (Float(0.5), 2), (0.78, 2), (0.8, 3), (0.92, 3), (0.93, 4), (1, 5),
  ])
  func topPKeepsTheSmallestNucleusReachingP(topP: Float, kept: Int) {
    var scores = Self.logits
    SamplingOptions(topP: topP).filter(&scores)
    #expect(scores.filter { $0 > -.infinity }.count == kept)
    #expect(scores[0] == 2 && scores[4] == 2)
  }

  @Test(arguments: [
    SamplingOptions(temperature: 0), SamplingOptions(topK: -1),
    SamplingOptions(topP: 1.5), SamplingOptions(topP: 0),
  ])
  func outOfRangeSettingsAreRefused(options: SamplingOptions) {
    #expect(throws: ModelsError.self) { try options.validate() }
  }
}
