import Models
import Testing

@Suite struct TokenBatchTests {
  @Test func leftPaddingBuildsMaskPositionsAndPredictionMask() {
    let batch = TokenBatch.leftPadded([[5, 6, 7], [8]], padToken: 0)
    #expect(batch.tokens == [5, 6, 7, 0, 0, 8])
    #expect(batch.mask == [1, 1, 1, 0, 0, 1])
    #expect(batch.positions == [0, 1, 2, 0, 0, 0])
    #expect(batch.predictionMask == [1, 1, 0, 0])
    #expect(batch.lastRealPositions == [2, 2])
    #expect(batch.realTokens(ofRow: 1) == [8])
    #expect(batch.hasPadding)
  }

  @Test func appendingExtendsEveryRowWithRealTokens() {
    let batch = TokenBatch.leftPadded([[5, 6], [7]], padToken: 0)
      .appending([[1, 2], [3, 4]])
    #expect(batch.length == 4)
    #expect(batch.tokens == [5, 6, 1, 2, 0, 7, 3, 4])
    #expect(batch.mask == [1, 1, 1, 1, 0, 1, 1, 1])
    #expect(batch.positions == [0, 1, 2, 3, 0, 0, 1, 2])
  }

  @Test func inconsistentInputsAreRefused() {
    #expect(throws: ModelsError.inputShapeMismatch(name: "tokens", expected: [2, 2], found: 3)) {
      try TokenBatch(tokens: [1, 2, 3], batchSize: 2, length: 2)
    }
    #expect(
      throws: ModelsError.invalidArgument(name: "mask value", value: "0.5", allowed: "0 or 1")
    ) {
      try TokenBatch(tokens: [1, 2], batchSize: 1, length: 2, mask: [0.5, 1])
    }
    #expect(throws: ModelsError.inputShapeMismatch(name: "row", expected: [2], found: 1)) {
      try TokenBatch(rows: [[1, 2], [3]])
    }
  }
}
