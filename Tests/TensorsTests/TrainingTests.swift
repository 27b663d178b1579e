import Tensors
import Testing

/// End-to-end checks that the pieces train: small networks fit a fixed batch.
@Suite struct TrainingTests {
  /// A two-layer GELU network memorises 12 random points with 3 random
  /// labels; cross-entropy starts near log 3 ≈ 1.1.
  @Test func multilayerPerceptronOverfitsAFixedBatch() {
    var generator = RandomGenerator(seed: 100)
    var initialisation = generator.derived("init")
    let inputs = Tensor.randomNormal([12, 4], using: &generator)
    let labels = (0..<12).map { _ in Int(generator.next() % 3) }
    let w1 = Parameter(
      "w1", Tensor.randomNormal([4, 32], standardDeviation: 0.5, using: &initialisation))
    let b1 = Parameter("b1", Tensor.zeros([32]))
    let w2 = Parameter(
      "w2", Tensor.randomNormal([32, 3], standardDeviation: 0.5, using: &initialisation))
    let b2 = Parameter("b2", Tensor.zeros([3]))
    let optimizer = AdamW(parameters: [w1, b1, w2, b2], learningRate: 0.03, weightDecay: 0)
    var losses = [Float]()
    for _ in 0..<300 {
      let tape = Tape()
      let hidden = tape.gelu(tape.linear(Variable(inputs), weight: w1, bias: b1))
      let logits = tape.linear(hidden, weight: w2, bias: b2)
      let loss = tape.negate(tape.mean(tape.logProbabilities(logits, targets: labels)))
      losses.append(loss.value.scalar)
      optimizer.zeroGradients()
      tape.backward(from: loss)
      optimizer.step()
    }
    #expect(losses[0] > 0.5)
    #expect(losses[losses.count - 1] < 0.01)
  }

  /// A one-block causal transformer (embeddings, layer norm, fused
  /// attention, GELU MLP, tied output embedding) memorises next tokens of
  /// four fixed sequences, one of them left-padded.
  @Test func attentionBlockOverfitsNextTokenPrediction() {
    let (vocabulary, seq, model, heads) = (10, 6, 16, 2)
    let sequences: [[Int]] = [
      [1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], [7, 7, 8, 8, 9, 9], [0, 0, 3, 1, 4, 1],
    ]
    let batch = sequences.count
    // Sequence 3 is left-padded by two positions (token 0, masked as a key).
    var bias = [Float](repeating: 0, count: batch * seq)
    bias[3 * seq] = -1e9
    bias[3 * seq + 1] = -1e9
    let keyBias = Tensor(shape: [batch, seq], scalars: bias)
    var ids = [Int]()
    var targets = [Int]()
    var rows = [Int]()
    for (b, sequence) in sequences.enumerated() {
      ids += sequence
      for t in 0..<(seq - 1) where !(b == 3 && t < 2) {
        rows.append(b * seq + t)
        targets.append(sequence[t + 1])
      }
    }
    var generator = RandomGenerator(seed: 7).derived("init")
    func normal(_ name: String, _ shape: [Int]) -> Parameter {
      Parameter(name, Tensor.randomNormal(shape, standardDeviation: 0.2, using: &generator))
    }
    let wte = normal("wte", [vocabulary, model])
    let wpe = normal("wpe", [seq, model])
    let ln1w = Parameter("ln_1.weight", Tensor.ones([model]))
    let ln1b = Parameter("ln_1.bias", Tensor.zeros([model]))
    let attnW = normal("attn.c_attn.weight", [model, 3 * model])
    let attnB = Parameter("attn.c_attn.bias", Tensor.zeros([3 * model]))
    let projW = normal("attn.c_proj.weight", [model, model])
    let ln2w = Parameter("ln_2.weight", Tensor.ones([model]))
    let ln2b = Parameter("ln_2.bias", Tensor.zeros([model]))
    let fcW = normal("mlp.c_fc.weight", [model, 4 * model])
    let fcB = Parameter("mlp.c_fc.bias", Tensor.zeros([4 * model]))
    let outW = normal("mlp.c_proj.weight", [4 * model, model])
    let parameters = [wte, wpe, ln1w, ln1b, attnW, attnB, projW, ln2w, ln2b, fcW, fcB, outW]
    let optimizer = AdamW(parameters: parameters, learningRate: 0.02, weightDecay: 0.01)
    let positions = Array((0..<batch).map { _ in Array(0..<seq) }.joined())
    var losses = [Float]()
    for _ in 0..<150 {
      let tape = Tape()
      let tokens = tape.embedding(wte, ids: ids, shape: [batch, seq])
      var h = tape.add(tokens, tape.embedding(wpe, ids: positions, shape: [batch, seq]))
      let qkv = tape.linear(tape.layerNorm(h, weight: ln1w, bias: ln1b), weight: attnW, bias: attnB)
      let attended = tape.causalSelfAttention(qkv, heads: heads, keyBias: keyBias)
      h = tape.add(h, tape.linear(attended, weight: projW))
      let inner = tape.gelu(
        tape.linear(tape.layerNorm(h, weight: ln2w, bias: ln2b), weight: fcW, bias: fcB))
      h = tape.add(h, tape.linear(inner, weight: outW))
      let logits = tape.matmul(tape.selectRows(h, indices: rows), wte, transposeB: true)
      let loss = tape.negate(tape.mean(tape.logProbabilities(logits, targets: targets)))
      losses.append(loss.value.scalar)
      optimizer.zeroGradients()
      tape.backward(from: loss)
      optimizer.step()
    }
    #expect(losses[0] > 1.5)
    #expect(losses[losses.count - 1] < 0.05)
  }
}
