import Testing

@testable import Tensors

/// Left padding: the first two keys of batch item 0 are masked out.
let paddingBias = Tensor(
  shape: [2, 5],
  scalars: [-.infinity, -.infinity, 0, 0, 0, 0, 0, 0, 0, 0])

let productCases: [GradientCase] = [
  GradientCase("matmul", [[3, 4], [4, 5]]) { $0.matmul($1[0], $1[1]) },
  GradientCase("matmul Aᵀ", [[4, 3], [4, 5]]) {
    $0.matmul($1[0], $1[1], transposeA: true)
  },
  GradientCase("matmul Bᵀ", [[3, 4], [5, 4]]) {
    $0.matmul($1[0], $1[1], transposeB: true)
  },
  GradientCase("matmul AᵀBᵀ", [[4, 3], [5, 4]]) {
    $0.matmul($1[0], $1[1], transposeA: true, transposeB: true)
  },
  GradientCase("matmul rank 3 by rank 2", [[2, 3, 4], [5, 4]]) {
    $0.matmul($1[0], $1[1], transposeB: true)
  },
  GradientCase("batched matmul", [[2, 3, 4], [2, 4, 5]]) { $0.matmul($1[0], $1[1]) },
  GradientCase("batched matmul AᵀBᵀ", [[2, 4, 3], [2, 5, 4]]) {
    $0.matmul($1[0], $1[1], transposeA: true, transposeB: true)
  },
  GradientCase("linear with bias", [[2, 3, 4], [4, 5], [5]]) {
    $0.linear($1[0], weight: $1[1], bias: $1[2])
  },
  GradientCase("linear without bias", [[3, 4], [4, 2]]) {
    $0.linear($1[0], weight: $1[1])
  },
]

let elementwiseCases: [GradientCase] = [
  GradientCase("add", [[3, 4], [3, 4]]) { $0.add($1[0], $1[1]) },
  GradientCase("add row bias", [[2, 3, 4], [4]]) { $0.add($1[0], $1[1]) },
  GradientCase("add scalar", [[3, 4], []]) { $0.add($1[0], $1[1]) },
  GradientCase("subtract broadcast", [[2, 3, 4], [3, 4]]) { $0.subtract($1[0], $1[1]) },
  GradientCase("multiply", [[3, 4], [3, 4]]) { $0.multiply($1[0], $1[1]) },
  GradientCase("multiply row broadcast", [[3, 4], [4]]) { $0.multiply($1[0], $1[1]) },
  GradientCase("divide", [[3, 4], [4]], range: 0.5...2) { $0.divide($1[0], $1[1]) },
  GradientCase("scale", [[3, 4]]) { $0.scale($1[0], by: -2.5) },
  GradientCase("shift", [[3, 4]]) { $0.shift($1[0], by: 0.5) },
  GradientCase("exp", [[3, 4]]) { $0.exp($1[0]) },
  GradientCase("log", [[3, 4]], range: 0.5...2) { $0.log($1[0]) },
  GradientCase("tanh", [[3, 4]]) { $0.tanh($1[0]) },
  GradientCase("sigmoid", [[3, 4]], range: -3...3) { $0.sigmoid($1[0]) },
  GradientCase("square", [[3, 4]]) { $0.square($1[0]) },
  GradientCase("gelu", [[4, 5]], range: -3...3) { $0.gelu($1[0]) },
  GradientCase(
    "relu", inputs: [Tensor(shape: [2, 3], scalars: [-1, 0.5, -0.3, 2, 0.2, -2])]
  ) { $0.relu($1[0]) },
  GradientCase(
    "clamp", inputs: [Tensor(shape: [2, 3], scalars: [-1, 0.5, -0.3, 2, 0.1, -0.1])]
  ) { $0.clamp($1[0], lowerBound: -0.2, upperBound: 0.8) },
  GradientCase(
    "minimum",
    inputs: [
      Tensor(shape: [4], scalars: [1, -2, 0.5, 3]), Tensor(shape: [4], scalars: [0, 2, 0.7, -1]),
    ]
  ) { $0.minimum($1[0], $1[1]) },
  GradientCase(
    "maximum",
    inputs: [
      Tensor(shape: [4], scalars: [1, -2, 0.5, 3]), Tensor(shape: [4], scalars: [0, 2, 0.7, -1]),
    ]
  ) { $0.maximum($1[0], $1[1]) },
  GradientCase("where", [[2, 3], [2, 3]]) {
    $0.where([true, false, true, true, false, false], $1[0], $1[1])
  },
]

let reductionCases: [GradientCase] = [
  GradientCase("sum", [[3, 4]]) { $0.sum($1[0]) },
  GradientCase("mean", [[3, 4]]) { $0.mean($1[0]) },
  GradientCase("sum along last axis", [[2, 3, 4]]) { $0.sumAlongLastAxis($1[0]) },
  GradientCase("mean along last axis", [[3, 4]]) { $0.meanAlongLastAxis($1[0]) },
  GradientCase("softmax", [[3, 5]], range: -2...2) { $0.softmax($1[0]) },
  GradientCase("log softmax", [[3, 5]], range: -2...2) { $0.logSoftmax($1[0]) },
  GradientCase("log probabilities of targets", [[2, 2, 5]], range: -2...2) {
    $0.logProbabilities($1[0], targets: [4, 0, 2, 2])
  },
  GradientCase("entropy", [[3, 5]], range: -2...2) { $0.entropy($1[0]) },
  GradientCase("layer norm", [[3, 6], [6], [6]], range: -2...2) {
    $0.layerNorm($1[0], weight: $1[1], bias: $1[2])
  },
]

let structureCases: [GradientCase] = [
  GradientCase("embedding with repeated ids", [[5, 3]]) {
    $0.embedding($1[0], ids: [4, 1, 1, 0, 4, 4], shape: [2, 3])
  },
  GradientCase("reshape", [[3, 4]]) { $0.square($0.reshape($1[0], to: [2, -1])) },
  GradientCase("concatenate along the sequence axis", [[2, 3, 2], [2, 1, 2]]) {
    $0.concatenate([$1[0], $1[1]], axis: 1)
  },
  GradientCase("slice along the sequence axis", [[2, 4, 3]]) {
    $0.slice($1[0], axis: 1, range: 1..<3)
  },
  GradientCase("select rows with repeats", [[2, 3, 2]]) {
    $0.selectRows($1[0], indices: [5, 0, 5, 2])
  },
  GradientCase("dropout", [[4, 5]]) { tape, x in
    var generator = RandomGenerator(seed: 11)
    return tape.dropout(x[0], rate: 0.4, using: &generator)
  },
  GradientCase("causal self-attention", [[2, 5, 12]]) {
    $0.causalSelfAttention($1[0], heads: 2)
  },
  GradientCase("causal self-attention with padding bias", [[2, 5, 12]]) {
    $0.causalSelfAttention($1[0], heads: 2, keyBias: paddingBias)
  },
  GradientCase("causal self-attention with dropout", [[2, 5, 12]]) { tape, x in
    var generator = RandomGenerator(seed: 5)
    return tape.causalSelfAttention(x[0], heads: 2, dropout: 0.3, using: &generator)
  },
  GradientCase("attention of two queries over five keys", [[2, 2, 6], [2, 5, 6], [2, 5, 6]]) {
    $0.attention(query: $1[0], key: $1[1], value: $1[2], heads: 3, keyBias: paddingBias)
  },
  GradientCase("non-causal attention", [[1, 3, 4], [1, 4, 4], [1, 4, 4]]) {
    $0.attention(query: $1[0], key: $1[1], value: $1[2], heads: 1, causal: false)
  },
  // A decoding step: one query over the first four of five cached keys.
  GradientCase("one query over a cache's filled keys", [[2, 1, 6], [2, 5, 6], [2, 5, 6]]) {
    $0.attention(
      query: $1[0], key: $1[1], value: $1[2], heads: 3, keyBias: paddingBias, causal: false,
      keyCount: 4)
  },
  // Inputs used again later on the tape, so that these operations add to
  // a gradient that already exists instead of writing a fresh one.
  GradientCase("layer norm twice, plus its input", [[3, 6], [6], [6]], range: -2...2) {
    let inner = $0.layerNorm($1[0], weight: $1[1], bias: $1[2])
    return $0.add($0.layerNorm(inner, weight: $1[1], bias: $1[2]), $1[0])
  },
  GradientCase("gelu plus its input", [[4, 5]], range: -3...3) { $0.add($0.gelu($1[0]), $1[0]) },
  GradientCase("dropout plus its input", [[4, 5]]) { tape, x in
    var generator = RandomGenerator(seed: 12)
    return tape.add(tape.dropout(x[0], rate: 0.4, using: &generator), x[0])
  },
]

@Suite struct GradientTests {
  @Test(arguments: productCases + elementwiseCases + reductionCases + structureCases)
  func gradientMatchesCentralDifferences(_ check: GradientCase) {
    let worst = GradientCheck.worstViolation(inputs: check.inputs, check.function)
    #expect(worst.violation <= 0, "\(check.name): \(worst.detail)")
  }

  @Test func checkerRejectsAWrongGradient() {
    // A deliberately wrong derivative: the forward is x², and the recorded
    // gradient is that of scale(x, 2) composed wrongly, so the check fails.
    let worst = GradientCheck.worstViolation(
      inputs: [Tensor(shape: [3], scalars: [0.5, -1, 2])]
    ) { tape, x in
      let doubled = tape.scale(x[0], by: 2)
      return tape.multiply(doubled, Variable(x[0].value))
    }
    #expect(worst.violation > 0.1)
  }
}
