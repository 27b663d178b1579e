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
    let q = AttentionGeometry.Operand(offset: 0, stride: triple, batchStride: seq * triple)
    let k = AttentionGeometry.Operand(offset: model, stride: triple, batchStride: seq * triple)
    let v = AttentionGeometry.Operand(offset: 2 * model, stride: triple, batchStride: seq * triple)
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
  ///   - keyCount: attend only to the first `keyCount` positions of `key`,
  ///     `value` and `keyBias` (a cache's filled slots), as if the tensors
  ///     ended there; `nil` for all of them.
  /// - Returns: `[batch, queries, dModel]`.
  public func attention(
    query: Variable, key: Variable, value: Variable, heads: Int,
    keyBias: Tensor? = nil, causal: Bool = true, keyCount: Int? = nil
  ) -> Variable {
    precondition(query.value.rank == 3, "query must be [batch, queries, d], got \(query.shape)")
    let (batch, queries, model) = (query.shape[0], query.shape[1], query.shape[2])
    precondition(key.value.rank == 3, "key must be [batch, keys, d], got \(key.shape)")
    let capacity = key.shape[1]
    let keys = keyCount ?? capacity
    precondition(keys >= 0 && keys <= capacity, "keyCount \(keys) outside 0...\(capacity)")
    precondition(key.shape == [batch, capacity, model], "key \(key.shape) vs query \(query.shape)")
    precondition(value.shape == key.shape, "value \(value.shape) ≠ key \(key.shape)")
    precondition(!causal || keys >= queries, "causal attention needs keys ≥ queries")
    if let keyBias {
      precondition(
        keyBias.shape == [batch, capacity],
        "keyBias \(keyBias.shape) ≠ [\(batch), \(capacity)]")
    }
    let geometry = AttentionGeometry(
      batch: batch, queries: queries, keys: keys, heads: heads, model: model, causal: causal,
      keyBiasStride: capacity)
    let q = AttentionGeometry.Operand(offset: 0, stride: model, batchStride: queries * model)
    let kv = AttentionGeometry.Operand(offset: 0, stride: model, batchStride: capacity * model)
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
