import Foundation

extension Tape {
  /// Layer normalisation over the last axis (Ba, Kiros and Hinton 2016), as
  /// PyTorch's `LayerNorm`: each row is shifted to mean 0 and scaled by
  /// 1/√(biased variance + `epsilon`), then multiplied by `weight` and
  /// shifted by `bias`.
  ///
  /// - Parameters:
  ///   - x: `[..., d]`, row-major.
  ///   - weight: `[d]` (γ).
  ///   - bias: `[d]` (β).
  ///   - epsilon: added to the variance; GPT-2 uses 1e-5.
  /// - Returns: `[..., d]`.
  public func layerNorm(
    _ x: Variable, weight: Variable, bias: Variable, epsilon: Float = 1e-5
  ) -> Variable {
    let width = x.shape.last ?? 1
    precondition(weight.shape == [width], "layerNorm weight \(weight.shape) is not [\(width)]")
    precondition(bias.shape == [width], "layerNorm bias \(bias.shape) is not [\(width)]")
    let rows = width == 0 ? 0 : x.value.count / width
    let value = x.value
    let gamma = weight.value
    let beta = bias.value
    // xhat is kept for the backward pass: it is as large as the input, and
    // recomputing it would cost a second pass over x.
    var normalised = Tensor.build(x.shape) { _ in }  // written below
    var inverseDeviations = [Float](repeating: 0, count: rows)
    let result = Tensor.build(x.shape) { y in
      normalised.withMutablePointer { xhat in
        value.withPointer { px in
          gamma.withPointer { pg in
            beta.withPointer { pb in
              for row in 0..<rows {
                let offset = row * width
                let mean = Kernels.sum(px + offset, count: width) / Float(width)
                for column in offset..<(offset + width) { xhat[column] = px[column] - mean }
                let variance = Kernels.dot(xhat + offset, xhat + offset, count: width)
                let inverse = 1 / (variance / Float(width) + epsilon).squareRoot()
                inverseDeviations[row] = inverse
                for column in 0..<width {
                  let normal = xhat[offset + column] * inverse
                  xhat[offset + column] = normal
                  y[offset + column] = normal * pg[column] + pb[column]
                }
              }
            }
          }
        }
      }
    }
    let saved = normalised
    return output(result, recorded: records(x, weight, bias)) { gradient in
      gradient.withPointer { dy in
        saved.withPointer { xhat in
          if weight.requiresGrad {
            weight.accumulate(pointer: { dw, betaW in
              Tape.sumRowProducts(dy, xhat, into: dw, beta: betaW, rows: rows, width: width)
            })
          }
          if bias.requiresGrad {
            let ones = [Float](repeating: 1, count: rows)
            bias.accumulate(pointer: { db, betaB in
              BLAS.gemv(dy, ones, db, m: rows, n: width, transpose: true, beta: betaB)
            })
          }
          guard x.requiresGrad else { return }
          // dx = rstd · (g − mean(g) − xhat · mean(g ⊙ xhat)), g = dy ⊙ γ,
          // written or added in place; `scaled` holds one row of g.
          var scaled = [Float](repeating: 0, count: width)
          gamma.withPointer { pg in
            scaled.withUnsafeMutableBufferPointer { buffer in
              let g = buffer.baseAddress ?? Kernels.emptyBase
              x.accumulate(pointer: { dx, betaX in
                for row in 0..<rows {
                  let offset = row * width
                  for column in 0..<width { g[column] = dy[offset + column] * pg[column] }
                  let meanG = Kernels.sum(g, count: width) / Float(width)
                  let meanGX = Kernels.dot(g, xhat + offset, count: width) / Float(width)
                  let inverse = inverseDeviations[row]
                  let target = dx + offset
                  let normal = xhat + offset
                  if betaX == 0 {
                    for column in 0..<width {
                      target[column] = inverse * (g[column] - meanG - normal[column] * meanGX)
                    }
                  } else {
                    for column in 0..<width {
                      target[column] += inverse * (g[column] - meanG - normal[column] * meanGX)
                    }
                  }
                }
              })
            }
          }
        }
      }
    }
  }
}

extension Tape {
  /// Σ over rows of `a ⊙ b`, both `[rows, width]`, written to `y` (`beta`
  /// 0) or added to it (`beta` 1), with the rows' products summed in
  /// columns so that the loop vectorises.
  private static func sumRowProducts(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
    beta: Float, rows: Int, width: Int
  ) {
    if beta == 0 { y.update(repeating: 0, count: width) }
    for row in 0..<rows {
      let (pa, pb) = (a + row * width, b + row * width)
      for column in 0..<width { y[column] += pa[column] * pb[column] }
    }
  }
}
