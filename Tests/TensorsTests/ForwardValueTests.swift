import Foundation
import Testing

@testable import Tensors

/// Forward values against hand computations and naive reference loops.
@Suite struct ForwardValueTests {
  private let tape = Tape(recording: false)

  private func constant(_ shape: [Int], _ scalars: [Float]) -> Variable {
    Variable(Tensor(shape: shape, scalars: scalars))
  }

  @Test func matmulAndTransposesAgreeWithHandProducts() {
    let a = constant([2, 3], [1, 2, 3, 4, 5, 6])
    let b = constant([3, 2], [7, 8, 9, 10, 11, 12])
    // [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]].
    #expect(tape.matmul(a, b).value.scalars == [58, 64, 139, 154])
    let bT = constant([2, 3], [7, 9, 11, 8, 10, 12])
    #expect(tape.matmul(a, bT, transposeB: true).value.scalars == [58, 64, 139, 154])
    let aT = constant([3, 2], [1, 4, 2, 5, 3, 6])
    #expect(tape.matmul(aT, b, transposeA: true).value.scalars == [58, 64, 139, 154])
  }

  @Test func batchedMatmulMultipliesEachItem() {
    let a = constant([2, 1, 2], [1, 2, 3, 4])
    let b = constant([2, 2, 1], [5, 6, 7, 8])
    let product = tape.matmul(a, b).value
    #expect(product.shape == [2, 1, 1])
    #expect(product.scalars == [17, 53])
  }

  @Test func linearAddsTheBiasToEveryRow() {
    let x = constant([2, 2], [1, 2, 3, 4])
    let w = constant([2, 3], [1, 0, 1, 0, 1, 1])
    let b = constant([3], [10, 20, 30])
    #expect(
      tape.linear(x, weight: w, bias: b).value.scalars == [11, 22, 33, 13, 24, 37])
  }

  @Test func softmaxFamilyIsConsistent() {
    var generator = RandomGenerator(seed: 4)
    let logits = Variable(
      Tensor.randomNormal([3, 7], standardDeviation: 3, using: &generator))
    let probabilities = tape.softmax(logits).value
    let logSoftmax = tape.logSoftmax(logits).value
    let targets = [6, 0, 3]
    let picked = tape.logProbabilities(logits, targets: targets).value
    let entropy = tape.entropy(logits).value
    for row in 0..<3 {
      let p = Array(probabilities.scalars[(row * 7)..<(row * 7 + 7)])
      #expect(Swift.abs(p.reduce(0, +) - 1) < 1e-6)
      #expect(Swift.abs(picked.scalars[row] - logSoftmax.scalars[row * 7 + targets[row]]) < 1e-5)
      #expect(Swift.abs(Foundation.log(p[targets[row]]) - picked.scalars[row]) < 1e-4)
      let reference = -p.reduce(0) { $0 + ($1 > 0 ? $1 * Foundation.log($1) : 0) }
      #expect(Swift.abs(entropy.scalars[row] - reference) < 1e-5)
    }
  }

  @Test func uniformLogitsHaveMaximalEntropy() {
    let entropy = tape.entropy(Variable(Tensor.zeros([1, 8]))).value
    #expect(Swift.abs(entropy.scalar - Foundation.log(8)) < 1e-6)
  }

  @Test func layerNormStandardisesRows() {
    let x = constant([2, 4], [1, 2, 3, 4, -1, 0, 0, 5])
    let y = tape.layerNorm(
      x, weight: Variable(Tensor.ones([4])), bias: Variable(Tensor.zeros([4]))
    ).value
    for row in 0..<2 {
      let values = Array(y.scalars[(row * 4)..<(row * 4 + 4)])
      let mean = values.reduce(0, +) / 4
      let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4
      #expect(Swift.abs(mean) < 1e-6)
      // The 1e-5 epsilon shrinks the variance slightly below 1.
      #expect(Swift.abs(variance - 1) < 1e-4)
    }
    // Row 0: mean 2.5, variance 1.25, so x = 4 maps to 1.5/√1.25 ≈ 1.341635.
    #expect(Swift.abs(y.scalars[3] - 1.341_635) < 1e-4)
  }

  /// GPT-2's tanh GELU at 1 and −2: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).
  @Test func geluMatchesTheTanhApproximation() {
    let y = tape.gelu(constant([3], [1, -2, 0])).value
    #expect(isClose(y.scalars, [0.841_192, -0.045_402_3, 0], tolerance: 1e-5))
  }

  @Test func embeddingConcatenateSliceAndSelectMoveRows() {
    let table = constant([3, 2], [0, 1, 10, 11, 20, 21])
    let embedded = tape.embedding(table, ids: [2, 0, 1, 1], shape: [2, 2])
    #expect(embedded.shape == [2, 2, 2])
    #expect(embedded.value.scalars == [20, 21, 0, 1, 10, 11, 10, 11])
    let joined = tape.concatenate([embedded, tape.slice(embedded, axis: 1, range: 0..<1)], axis: 1)
    #expect(joined.shape == [2, 3, 2])
    #expect(joined.value.scalars == [20, 21, 0, 1, 20, 21, 10, 11, 10, 11, 10, 11])
    let rows = tape.selectRows(joined, indices: [5, 1])
    #expect(rows.value.scalars == [10, 11, 0, 1])
  }

  @Test func dropoutKeepsTheExpectationAndZerosAboutTheRate() {
    var generator = RandomGenerator(seed: 21)
    let x = Variable(Tensor.ones([10_000]))
    let y = tape.dropout(x, rate: 0.25, using: &generator).value
    let zeros = y.scalars.filter { $0 == 0 }.count
    // Binomial(10,000, 0.25): σ ≈ 43, so 5σ ≈ 217.
    #expect(Swift.abs(zeros - 2500) < 217)
    #expect(y.scalars.allSatisfy { $0 == 0 || Swift.abs($0 - 4.0 / 3) < 1e-6 })
  }

  /// The fused attention against a direct loop over batch, head, query and
  /// key, with a padding bias.
  @Test func causalSelfAttentionMatchesANaiveLoop() {
    let (batch, seq, heads, width) = (2, 5, 2, 3)
    let model = heads * width
    var generator = RandomGenerator(seed: 31)
    let qkv = Tensor.randomNormal([batch, seq, 3 * model], using: &generator)
    let fused = tape.causalSelfAttention(Variable(qkv), heads: heads, keyBias: paddingBias)
    var reference = [Float](repeating: 0, count: batch * seq * model)
    let x = qkv.scalars
    for b in 0..<batch {
      for h in 0..<heads {
        for i in 0..<seq {
          var scores = [Double]()
          for j in 0...i {
            var dot: Double = 0
            for d in 0..<width {
              let q = x[(b * seq + i) * 3 * model + h * width + d]
              let k = x[(b * seq + j) * 3 * model + model + h * width + d]
              dot += Double(q) * Double(k)
            }
            scores.append(
              dot / Double(width).squareRoot() + Double(paddingBias.scalars[b * seq + j]))
          }
          let top = scores.max()!
          guard top > -.infinity else { continue }
          let weights = scores.map { Foundation.exp($0 - top) }
          let total = weights.reduce(0, +)
          for d in 0..<width {
            var sum: Double = 0
            for j in 0...i {
              sum +=
                weights[j] / total
                * Double(x[(b * seq + j) * 3 * model + 2 * model + h * width + d])
            }
            reference[(b * seq + i) * model + h * width + d] = Float(sum)
          }
        }
      }
    }
    #expect(fused.shape == [batch, seq, model])
    #expect(isClose(fused.value.scalars, reference, tolerance: 1e-5))
  }

  /// Decoding the last position with cached keys and values gives the last
  /// row of full self-attention.
  @Test func attentionOverCachedKeysMatchesTheLastRowOfSelfAttention() {
    let (batch, seq, model) = (2, 4, 6)
    var generator = RandomGenerator(seed: 41)
    let qkv = Variable(Tensor.randomNormal([batch, seq, 3 * model], using: &generator))
    let full = tape.causalSelfAttention(qkv, heads: 3)
    let query = tape.slice(tape.slice(qkv, axis: 2, range: 0..<model), axis: 1, range: 3..<4)
    let key = tape.slice(qkv, axis: 2, range: model..<(2 * model))
    let value = tape.slice(qkv, axis: 2, range: (2 * model)..<(3 * model))
    let last = tape.attention(query: query, key: key, value: value, heads: 3)
    #expect(
      isClose(
        last.value.scalars, tape.slice(full, axis: 1, range: 3..<4).value.scalars,
        tolerance: 1e-6))
  }

  /// `keyCount` attends to the first keys of longer buffers exactly as to
  /// buffers that end there: what lies beyond (here huge values that would
  /// dominate the softmax) is never read.
  @Test func attentionOverTheFirstKeysIgnoresTheRestOfTheBuffers() {
    let (batch, queries, filled, capacity, model) = (2, 1, 3, 5, 8)
    var generator = RandomGenerator(seed: 43)
    let query = Variable(Tensor.randomNormal([batch, queries, model], using: &generator))
    let real = Tensor.randomNormal([batch, filled, model], using: &generator)
    var padded = Tensor(repeating: 1e4, shape: [batch, capacity, model])
    for item in 0..<batch {
      for offset in 0..<(filled * model) {
        padded.scalars[item * capacity * model + offset] =
          real.scalars[item * filled * model + offset]
      }
    }
    let bias = Tensor(repeating: 0, shape: [batch, capacity])
    let cached = tape.attention(
      query: query, key: Variable(padded), value: Variable(padded), heads: 2,
      keyBias: bias, causal: false, keyCount: filled)
    let exact = tape.attention(
      query: query, key: Variable(real), value: Variable(real), heads: 2, causal: false)
    #expect(cached.shape == [batch, queries, model])
    #expect(isClose(cached.value.scalars, exact.value.scalars, tolerance: 1e-6))
  }
}
