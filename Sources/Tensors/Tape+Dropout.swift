extension Tape {
  /// Inverted dropout: each scalar is zeroed with probability `rate` and the
  /// survivors are scaled by 1/(1 − `rate`), so the expectation is
  /// unchanged. With `rate` 0 the input is returned as is and `generator`
  /// is not advanced.
  ///
  /// - Parameters:
  ///   - rate: the drop probability, in [0, 1).
  ///   - generator: the dropout stream, for example `rng.derived("dropout")`.
  public func dropout(
    _ x: Variable, rate: Float, using generator: inout RandomGenerator
  ) -> Variable {
    precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
    if rate == 0 { return x }
    let mask = Tape.dropoutMask(count: x.value.count, rate: rate, using: &generator)
    let result = Tensor.build(x.shape) { y in
      x.value.withPointer { px in
        mask.withUnsafeBufferPointer { keep in
          for index in 0..<mask.count { y[index] = px[index] * keep[index] }
        }
      }
    }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(
        Tensor.build(gradient.shape) { dx in
          gradient.withPointer { dy in
            for index in 0..<mask.count { dx[index] = dy[index] * mask[index] }
          }
        })
    }
  }

  /// `count` factors, each 0 with probability `rate` and 1/(1 − `rate`)
  /// otherwise; a scalar is dropped when 24 random bits fall below
  /// `rate · 2²⁴`.
  static func dropoutMask(
    count: Int, rate: Float, using generator: inout RandomGenerator
  ) -> [Float] {
    let threshold = UInt64((Double(rate) * 0x1p24).rounded())
    let kept = 1 / (1 - rate)
    var mask = [Float](repeating: 0, count: count)
    for index in 0..<count {
      mask[index] = (generator.next() >> 40) < threshold ? 0 : kept
    }
    return mask
  }
}
