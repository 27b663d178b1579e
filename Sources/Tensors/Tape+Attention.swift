import Foundation

extension Tape {
  /// Causal multi-head self-attention on the fused output of GPT-2's
  /// `c_attn`, without splitting or permuting heads (BLAS reads each head as
  /// a column block with a row stride).
  ///
  /// Position `i` attends to keys `j ≤ i`, with softmax((q·kᵀ)/√dHead +
  /// keyBias). A query row with no attendable key (every allowed key biased
  /// by `-infinity`) outputs zeros.
  ///
  /// - Parameters:
  ///   - qkv: `[batch, seq, 3·dModel]`, row-major; each row is query, key,
  ///     value, each `[heads, dHead]` (GPT-2's layout).
  ///   - heads: the number of heads; divides `dModel`.
  ///   - keyBias: `[batch, seq]`, added to the scores of each key position
  ///     for every query (0 for real tokens, a large negative such as -1e9 or
  ///     `-infinity` for left padding), or `nil`.
  /// - Returns: `[batch, seq, dModel]`, heads merged, ready for `c_proj`.
  public func causalSelfAttention(
    _ qkv: Variable, heads: Int, keyBias: Tensor? = nil
  ) -> Variable {
    selfAttention(qkv, heads: heads, keyBias: keyBias, dropoutMask: nil)
  }

  /// `causalSelfAttention(_:heads:keyBias:)` with inverted dropout of rate
  /// `dropout` on the attention probabilities (GPT-2's `attn_pdrop`), drawn
  /// from `generator`.
  public func causalSelfAttention(
    _ qkv: Variable, heads: Int, keyBias: Tensor? = nil, dropout: Float,
    using generator: inout RandomGenerator
  ) -> Variable {
    precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got \(dropout)")
    guard dropout > 0, qkv.shape.count == 3 else {
      return causalSelfAttention(qkv, heads: heads, keyBias: keyBias)
    }
    let (batch, seq) = (qkv.shape[0], qkv.shape[1])
    let mask = Tape.dropoutMask(
      count: batch * heads * seq * seq, rate: dropout, using: &generator)
    return selfAttention(qkv, heads: heads, keyBias: keyBias, dropoutMask: mask)
  }

  private func selfAttention(
    _ qkv: Variable, heads: Int, keyBias: Tensor?, dropoutMask: [Float]?
  ) -> Variable {
    precondition(qkv.value.rank == 3, "qkv must be [batch, seq, 3·d], got \(qkv.shape)")
    let (batch, seq, triple) = (qkv.shape[0], qkv.shape[1], qkv.shape[2])
    precondition(triple % 3 == 0, "qkv's last extent \(triple) is not 3·d")
    let model = triple / 3
    let geometry = AttentionGeometry(
      batch: batch, queries: seq, keys: seq, heads: heads, model: model, causal: true)
    if let keyBias {
      precondition(keyBias.shape == [batch, seq], "keyBias \(keyBias.shape) ≠ [\(batch), \(seq)]")
    }
    let value = qkv.value
    let q = AttentionOperand(offset: 0, stride: triple, batchStride: seq * triple)
    let k = AttentionOperand(offset: model, stride: triple, batchStride: seq * triple)
    let v = AttentionOperand(offset: 2 * model, stride: triple, batchStride: seq * triple)
    var probabilities = [Float]()
    let result = value.withPointer { base in
      geometry.forward(
        query: (base, q), key: (base, k), value: (base, v), keyBias: keyBias,
        dropoutMask: dropoutMask, probabilities: &probabilities)
    }
    return output(result, recorded: records(qkv)) { gradient in
      qkv.accumulate(pointer: { dqkv, beta in
        if beta == 0 { dqkv.update(repeating: 0, count: value.count) }
        value.withPointer { base in
          geometry.backward(
            gradient, query: (base, q), key: (base, k), value: (base, v),
            gradients: (dqkv, dqkv, dqkv), dropoutMask: dropoutMask,
            probabilities: probabilities)
        }
      })
    }
  }

  /// Multi-head attention of `query` over `key` and `value`, with heads in
  /// column blocks (GPT-2's layout), for decoding with a key/value cache.
  ///
  /// When `causal`, query `i` sits at position `i + keys − queries` and
  /// attends to keys `j ≤ i + keys − queries` (the queries are the last
  /// positions of the sequence). A query row with no attendable key outputs
  /// zeros.
  ///
  /// - Parameters:
  ///   - query: `[batch, queries, dModel]`, row-major.
  ///   - key: `[batch, keys, dModel]`, `keys ≥ queries` when causal.
  ///   - value: `[batch, keys, dModel]`.
  ///   - heads: divides `dModel`.
  ///   - keyBias: `[batch, keys]`, added to every query's score of each key
  ///     (a large negative or `-infinity` masks padding), or `nil`.
  /// - Returns: `[batch, queries, dModel]`.
  public func attention(
    query: Variable, key: Variable, value: Variable, heads: Int,
    keyBias: Tensor? = nil, causal: Bool = true
  ) -> Variable {
    precondition(query.value.rank == 3, "query must be [batch, queries, d], got \(query.shape)")
    let (batch, queries, model) = (query.shape[0], query.shape[1], query.shape[2])
    precondition(key.value.rank == 3, "key must be [batch, keys, d], got \(key.shape)")
    let keys = key.shape[1]
    precondition(key.shape == [batch, keys, model], "key \(key.shape) vs query \(query.shape)")
    precondition(value.shape == key.shape, "value \(value.shape) ≠ key \(key.shape)")
    precondition(!causal || keys >= queries, "causal attention needs keys ≥ queries")
    if let keyBias {
      precondition(
        keyBias.shape == [batch, keys], "keyBias \(keyBias.shape) ≠ [\(batch), \(keys)]")
    }
    let geometry = AttentionGeometry(
      batch: batch, queries: queries, keys: keys, heads: heads, model: model, causal: causal)
    let q = AttentionOperand(offset: 0, stride: model, batchStride: queries * model)
    let kv = AttentionOperand(offset: 0, stride: model, batchStride: keys * model)
    let (valueQ, valueK, valueV) = (query.value, key.value, value.value)
    var probabilities = [Float]()
    let result = valueQ.withPointer { pq in
      valueK.withPointer { pk in
        valueV.withPointer { pv in
          geometry.forward(
            query: (pq, q), key: (pk, kv), value: (pv, kv), keyBias: keyBias,
            dropoutMask: nil, probabilities: &probabilities)
        }
      }
    }
    return output(result, recorded: records(query, key, value)) { gradient in
      var dq = Tensor.zeros(valueQ.shape)
      var dk = Tensor.zeros(valueK.shape)
      var dv = Tensor.zeros(valueV.shape)
      valueQ.withPointer { pq in
        valueK.withPointer { pk in
          valueV.withPointer { pv in
            dq.withMutablePointer { gq in
              dk.withMutablePointer { gk in
                dv.withMutablePointer { gv in
                  geometry.backward(
                    gradient, query: (pq, q), key: (pk, kv), value: (pv, kv),
                    gradients: (gq, gk, gv), dropoutMask: nil, probabilities: probabilities)
                }
              }
            }
          }
        }
      }
      if query.requiresGrad { query.accumulate(dq) }
      if key.requiresGrad { key.accumulate(dk) }
      if value.requiresGrad { value.accumulate(dv) }
    }
  }
}

/// Where one of query, key or value lives inside its buffer: the column of
/// its first scalar, the row stride, and the distance between batch items.
struct AttentionOperand {
  let offset: Int
  let stride: Int
  let batchStride: Int

  /// The address of head `head`'s block in batch item `item`.
  @inline(__always)
  func base<P: Strideable>(_ pointer: P, item: Int, head: Int, headWidth: Int) -> P
  where P.Stride == Int {
    pointer.advanced(by: item * batchStride + offset + head * headWidth)
  }
}

/// The extents of one attention call and its forward and backward kernels.
struct AttentionGeometry {
  let batch: Int
  let queries: Int
  let keys: Int
  let heads: Int
  let model: Int
  let causal: Bool

  init(batch: Int, queries: Int, keys: Int, heads: Int, model: Int, causal: Bool) {
    precondition(heads > 0 && model % heads == 0, "\(heads) heads do not divide d = \(model)")
    self.batch = batch
    self.queries = queries
    self.keys = keys
    self.heads = heads
    self.model = model
    self.causal = causal
  }

  var headWidth: Int { model / heads }
  var scale: Float { 1 / Float(headWidth).squareRoot() }

  /// The last key query row `row` may attend to, or `keys - 1`.
  @inline(__always)
  func lastKey(_ row: Int) -> Int { causal ? row + keys - queries : keys - 1 }

  /// Scores, masked softmax (kept in `probabilities`, `[batch, heads,
  /// queries, keys]`) and the weighted sum of values; returns `[batch,
  /// queries, model]`.
  func forward(
    query: (UnsafePointer<Float>, AttentionOperand),
    key: (UnsafePointer<Float>, AttentionOperand),
    value: (UnsafePointer<Float>, AttentionOperand),
    keyBias: Tensor?, dropoutMask: [Float]?, probabilities: inout [Float]
  ) -> Tensor {
    let block = queries * keys
    // Every entry is written: the scores by BLAS, masked ones as zeros.
    probabilities = [Float](unsafeUninitializedCapacity: batch * heads * block) {
      _, initialised in initialised = batch * heads * block
    }
    var dropped = [Float](repeating: 0, count: dropoutMask == nil ? 0 : block)
    let bias = keyBias?.scalars
    let width = headWidth
    return Tensor.build([batch, queries, model]) { out in
      probabilities.withUnsafeMutableBufferPointer { all in
        dropped.withUnsafeMutableBufferPointer { droppedBuffer in
          for item in 0..<batch {
            for head in 0..<heads {
              let p = all.baseAddress! + (item * heads + head) * block
              BLAS.gemm(
                query.1.base(query.0, item: item, head: head, headWidth: width),
                key.1.base(key.0, item: item, head: head, headWidth: width), p,
                m: queries, n: keys, k: width, transposeB: true, alpha: scale,
                lda: query.1.stride, ldb: key.1.stride)
              normalise(p, item: item, bias: bias)
              var weights = UnsafePointer(p)
              if let dropoutMask, let target = droppedBuffer.baseAddress {
                let maskOffset = (item * heads + head) * block
                for index in 0..<block {
                  target[index] = p[index] * dropoutMask[maskOffset + index]
                }
                weights = UnsafePointer(target)
              }
              BLAS.gemm(
                weights, value.1.base(value.0, item: item, head: head, headWidth: width),
                out + item * queries * model + head * width, m: queries, n: width, k: keys,
                ldb: value.1.stride, ldc: model)
            }
          }
        }
      }
    }
  }

  /// Turns one head's scaled scores `[queries, keys]` into masked
  /// probabilities in place.
  @inline(__always)
  private func normalise(_ p: UnsafeMutablePointer<Float>, item: Int, bias: [Float]?) {
    for row in 0..<queries {
      let scores = p + row * keys
      let allowed = Swift.min(lastKey(row), keys - 1) + 1
      if let bias {
        let offset = item * keys
        for column in 0..<allowed { scores[column] += bias[offset + column] }
      }
      let shift = Kernels.maximum(scores, count: allowed)
      if allowed <= 0 || shift == -.infinity {
        scores.update(repeating: 0, count: keys)
        continue
      }
      let total = Kernels.exponentials(scores, scores, count: allowed, shift: shift)
      let inverse = 1 / total
      for column in 0..<allowed { scores[column] *= inverse }
      if allowed < keys { (scores + allowed).update(repeating: 0, count: keys - allowed) }
    }
  }

  /// Adds the gradients of query, key and value to the buffers in
  /// `gradients`, which have the operands' layouts.
  func backward(
    _ gradient: Tensor,
    query: (UnsafePointer<Float>, AttentionOperand),
    key: (UnsafePointer<Float>, AttentionOperand),
    value: (UnsafePointer<Float>, AttentionOperand),
    gradients: (
      UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
      UnsafeMutablePointer<Float>
    ),
    dropoutMask: [Float]?, probabilities: [Float]
  ) {
    let block = queries * keys
    let width = headWidth
    var scratch = [Float](repeating: 0, count: block)
    var dropped = [Float](repeating: 0, count: dropoutMask == nil ? 0 : block)
    gradient.withPointer { dOut in
      probabilities.withUnsafeBufferPointer { all in
        scratch.withUnsafeMutableBufferPointer { scratchBuffer in
          dropped.withUnsafeMutableBufferPointer { droppedBuffer in
            let dp = scratchBuffer.baseAddress!
            for item in 0..<batch {
              for head in 0..<heads {
                let maskOffset = (item * heads + head) * block
                let p = all.baseAddress! + maskOffset
                let dO = dOut + item * queries * model + head * width
                let q = query.1.base(query.0, item: item, head: head, headWidth: width)
                let k = key.1.base(key.0, item: item, head: head, headWidth: width)
                let v = value.1.base(value.0, item: item, head: head, headWidth: width)
                // dP = dO · Vᵀ and dV += Pᵀ · dO, with P after dropout.
                BLAS.gemm(
                  dO, v, dp, m: queries, n: keys, k: width, transposeB: true,
                  lda: model, ldb: value.1.stride)
                var weights = p
                if let dropoutMask, let target = droppedBuffer.baseAddress {
                  for index in 0..<block {
                    target[index] = p[index] * dropoutMask[maskOffset + index]
                    dp[index] *= dropoutMask[maskOffset + index]
                  }
                  weights = UnsafePointer(target)
                }
                BLAS.gemm(
                  weights, dO,
                  value.1.base(gradients.2, item: item, head: head, headWidth: width),
                  m: keys, n: width, k: queries, transposeA: true, beta: 1,
                  lda: keys, ldb: model, ldc: value.1.stride)
                // dS = P ⊙ (dP − Σ dP ⊙ P), row by row.
                for row in 0..<queries {
                  let offset = row * keys
                  let inner = BLAS.dot(dp + offset, p + offset, count: keys)
                  for column in offset..<(offset + keys) {
                    dp[column] = p[column] * (dp[column] - inner)
                  }
                }
                // dQ += scale · dS · K and dK += scale · dSᵀ · Q.
                BLAS.gemm(
                  dp, k, query.1.base(gradients.0, item: item, head: head, headWidth: width),
                  m: queries, n: width, k: keys, alpha: scale, beta: 1,
                  ldb: key.1.stride, ldc: query.1.stride)
                BLAS.gemm(
                  dp, q, key.1.base(gradients.1, item: item, head: head, headWidth: width),
                  m: keys, n: width, k: queries, transposeA: true, alpha: scale, beta: 1,
                  lda: keys, ldb: query.1.stride, ldc: key.1.stride)
              }
            }
          }
        }
      }
    }
  }
}
