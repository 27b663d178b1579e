import Foundation

/// The extents of one attention call and its forward and backward kernels.
struct AttentionGeometry {
  /// Where one of query, key or value lives inside its buffer: the column of
  /// its first scalar, the row stride, and the distance between batch items.
  struct Operand {
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

  let batch: Int
  let queries: Int
  let keys: Int
  let heads: Int
  let model: Int
  let causal: Bool
  /// The distance between batch items in the key bias (`keys` unless the
  /// keys attended are the first of a longer buffer).
  let keyBiasStride: Int

  init(
    batch: Int, queries: Int, keys: Int, heads: Int, model: Int, causal: Bool,
    keyBiasStride: Int? = nil
  ) {
    precondition(heads > 0 && model % heads == 0, "\(heads) heads do not divide d = \(model)")
    self.batch = batch
    self.queries = queries
    self.keys = keys
    self.heads = heads
    self.model = model
    self.causal = causal
    self.keyBiasStride = keyBiasStride ?? keys
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
    query: (UnsafePointer<Float>, Operand),
    key: (UnsafePointer<Float>, Operand),
    value: (UnsafePointer<Float>, Operand),
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
              let q = query.1.base(query.0, item: item, head: head, headWidth: width)
              let k = key.1.base(key.0, item: item, head: head, headWidth: width)
              if queries == 1 {
                // One query (a decoding step): a matrix-vector product, which
                // BLAS does without packing its operands.
                BLAS.gemv(
                  k, q, p, m: keys, n: width, transpose: false, alpha: scale,
                  lda: key.1.stride)
              } else {
                BLAS.gemm(
                  q, k, p, m: queries, n: keys, k: width, transposeB: true, alpha: scale,
                  lda: query.1.stride, ldb: key.1.stride)
              }
              normalise(p, item: item, bias: bias)
              var weights = UnsafePointer(p)
              if let dropoutMask, let target = droppedBuffer.baseAddress {
                let maskOffset = (item * heads + head) * block
                for index in 0..<block {
                  target[index] = p[index] * dropoutMask[maskOffset + index]
                }
                weights = UnsafePointer(target)
              }
              let v = value.1.base(value.0, item: item, head: head, headWidth: width)
              let target = out + item * queries * model + head * width
              if queries == 1 {
                BLAS.gemv(
                  v, weights, target, m: keys, n: width, transpose: true, lda: value.1.stride)
              } else {
                BLAS.gemm(
                  weights, v, target, m: queries, n: width, k: keys, ldb: value.1.stride,
                  ldc: model)
              }
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
        let offset = item * keyBiasStride
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
    query: (UnsafePointer<Float>, Operand),
    key: (UnsafePointer<Float>, Operand),
    value: (UnsafePointer<Float>, Operand),
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
