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
                var variance: Float = 0
                for column in offset..<(offset + width) {
                  let centred = px[column] - mean
                  xhat[column] = centred
                  variance += centred * centred
                }
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
      if weight.requiresGrad {
        let product = Tape.zip(gradient, saved) { g, n in g * n }
        weight.accumulate(Tape.sumRows(product, rows: rows, width: width))
      }
      if bias.requiresGrad {
        bias.accumulate(Tape.sumRows(gradient, rows: rows, width: width))
      }
      guard x.requiresGrad else { return }
      // dx = rstd · (g − mean(g) − xhat · mean(g ⊙ xhat)), g = dy ⊙ γ.
      let dx = Tensor.build(saved.shape) { dx in
        gradient.withPointer { dy in
          saved.withPointer { xhat in
            gamma.withPointer { pg in
              for row in 0..<rows {
                let offset = row * width
                var sumG: Float = 0
                var sumGX: Float = 0
                for column in 0..<width {
                  let g = dy[offset + column] * pg[column]
                  dx[offset + column] = g
                  sumG += g
                  sumGX += g * xhat[offset + column]
                }
                let meanG = sumG / Float(width)
                let meanGX = sumGX / Float(width)
                let inverse = inverseDeviations[row]
                for column in offset..<(offset + width) {
                  dx[column] = inverse * (dx[column] - meanG - xhat[column] * meanGX)
                }
              }
            }
          }
        }
      }
      x.accumulate(dx)
    }
  }
}
