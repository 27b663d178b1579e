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
      x.accumulate(pointer: { dx, beta in
        gradient.withPointer { dy in
          if beta == 0 {
            for index in 0..<mask.count { dx[index] = dy[index] * mask[index] }
          } else {
            for index in 0..<mask.count { dx[index] += dy[index] * mask[index] }
          }
        }
      })
    }
  }

  /// `count` factors, each 0 with probability `rate` and 1/(1 − `rate`)
  /// otherwise; a scalar is dropped when 32 random bits (two per draw of the
  /// generator) fall below `rate · 2³²`.
  static func dropoutMask(
    count: Int, rate: Float, using generator: inout RandomGenerator
  ) -> [Float] {
    let threshold = UInt32(Swift.min((Double(rate) * 0x1p32).rounded(), Double(UInt32.max)))
    let kept = 1 / (1 - rate)
    return [Float](unsafeUninitializedCapacity: count) { mask, initialised in
      var index = 0
      while index < count {
        let bits = generator.next()
        mask[index] = UInt32(truncatingIfNeeded: bits) < threshold ? 0 : kept
        if index + 1 < count {
          mask[index + 1] = UInt32(truncatingIfNeeded: bits >> 32) < threshold ? 0 : kept
        }
        index += 2
      }
      initialised = count
    }
  }
}
