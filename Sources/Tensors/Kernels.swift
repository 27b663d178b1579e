import Foundation

/// Loops over flat `Float` buffers shared by the operations: reductions
/// written with SIMD accumulators so they vectorise (a plain `+=` loop
/// cannot be reordered by the compiler), and element-wise maps.
enum Kernels {
  /// A one-scalar buffer standing in for the base address of empty arrays.
  nonisolated(unsafe) static let emptyBase: UnsafeMutablePointer<Float> = {
    let pointer = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return pointer
  }()

  /// The sum of `count` scalars from `x`, with sixteen running partial sums.
  @inline(__always)
  static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var partial = SIMD16<Float>()
    var index = 0
    while index + 16 <= count {
      partial += UnsafeRawPointer(x + index).loadUnaligned(as: SIMD16<Float>.self)
      index += 16
    }
    var total = partial.sum()
    while index < count {
      total += x[index]
      index += 1
    }
    return total
  }

  /// Σ `x[i]` · `y[i]` over `count` scalars, with sixteen running partial
  /// sums (for short rows, where a BLAS call costs more than the loop).
  @inline(__always)
  static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
    var partial = SIMD16<Float>()
    var index = 0
    while index + 16 <= count {
      let a = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD16<Float>.self)
      let b = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD16<Float>.self)
      partial += a * b
      index += 16
    }
    var total = partial.sum()
    while index < count {
      total += x[index] * y[index]
      index += 1
    }
    return total
  }

  /// The largest of `count` scalars from `x` (`-infinity` when empty).
  @inline(__always)
  static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    // Lane-wise selects on a SIMD value vectorise; `pointwiseMax` does not.
    var partial = SIMD16<Float>(repeating: -.infinity)
    var index = 0
    while index + 16 <= count {
      let chunk = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD16<Float>.self)
      for lane in 0..<16 {
        partial[lane] = chunk[lane] > partial[lane] ? chunk[lane] : partial[lane]
      }
      index += 16
    }
    var result = -Float.infinity
    for lane in 0..<16 { result = partial[lane] > result ? partial[lane] : result }
    while index < count {
      result = x[index] > result ? x[index] : result
      index += 1
    }
    return result
  }

  /// Writes exp(`x[i]` − `shift`) to `y[i]` and returns their sum.
  ///
  /// Two passes on purpose: the exponential loop vectorises on its own, and
  /// folding the sum into it (even in SIMD lanes) stops that and was 15×
  /// slower.
  @inline(__always)
  static func exponentials(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, shift: Float
  ) -> Float {
    for index in 0..<count { y[index] = exp(x[index] - shift) }
    return sum(UnsafePointer(y), count: count)
  }

  /// Replaces `x[i]` by exp(`x[i]` − `shift`) and returns Σ exp(…) · `x[i]`
  /// over the terms whose exponential is positive (so that a masked
  /// `-infinity` logit adds 0, not NaN); `scratch` receives the terms. One
  /// pass instead of `exponentials` then `positiveWeightedSum`.
  @inline(__always)
  static func exponentialsInPlace(
    _ x: UnsafeMutablePointer<Float>, weightedBy scratch: UnsafeMutablePointer<Float>,
    count: Int, shift: Float
  ) -> Float {
    for index in 0..<count {
      let value = x[index]
      let e = exp(value - shift)
      scratch[index] = e > 0 ? e * value : 0
      x[index] = e
    }
    return sum(UnsafePointer(scratch), count: count)
  }

  /// Σ `weights[i]` · `values[i]` over the terms whose weight is positive,
  /// so that a zero weight on a `-infinity` value (a masked logit) adds 0
  /// instead of NaN; `scratch` receives the terms.
  @inline(__always)
  static func positiveWeightedSum(
    _ weights: UnsafePointer<Float>, _ values: UnsafePointer<Float>,
    scratch: UnsafeMutablePointer<Float>, count: Int
  ) -> Float {
    for index in 0..<count {
      scratch[index] = weights[index] > 0 ? weights[index] * values[index] : 0
    }
    return sum(UnsafePointer(scratch), count: count)
  }

  /// log Σ exp(`x[i]`) over `count` scalars, computed stably (max shifted);
  /// `scratch` receives the shifted exponentials.
  @inline(__always)
  static func logSumExp(
    _ x: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, count: Int
  ) -> Float {
    let shift = maximum(x, count: count)
    let total = exponentials(x, scratch, count: count, shift: shift)
    return shift + Foundation.log(total)
  }
}
