extension Tape {
  /// The same scalars with a new shape, in O(1); one extent may be `-1`.
  public func reshape(_ x: Variable, to shape: [Int]) -> Variable {
    let oldShape = x.shape
    return output(x.value.reshaped(shape), recorded: records(x)) { gradient in
      x.accumulate(gradient.reshaped(oldShape))
    }
  }

  /// The inputs joined along `axis`; all other extents must agree.
  ///
  /// For example hidden states `[batch, t1, d]` and `[batch, t2, d]` joined
  /// along axis 1 give `[batch, t1 + t2, d]`.
  public func concatenate(_ parts: [Variable], axis: Int) -> Variable {
    precondition(!parts.isEmpty, "concatenate needs at least one input")
    let first = parts[0].shape
    precondition(axis >= 0 && axis < first.count, "axis \(axis) out of range for \(first)")
    let outer = Tensor.count(of: Array(first[..<axis]))
    let inner = Tensor.count(of: Array(first[(axis + 1)...]))
    var shape = first
    shape[axis] = 0
    for part in parts {
      var expected = first
      expected[axis] = part.shape[axis]
      precondition(part.shape == expected, "cannot concatenate \(part.shape) with \(first)")
      shape[axis] += part.shape[axis]
    }
    let width = shape[axis] * inner
    let values = parts.map(\.value)
    let result = Tensor.build(shape) { y in
      var offset = 0
      for value in values {
        let block = value.count / Swift.max(outer, 1)
        value.withPointer { px in
          for row in 0..<outer {
            (y + row * width + offset).update(from: px + row * block, count: block)
          }
        }
        offset += block
      }
    }
    return output(result, recorded: records(parts)) { gradient in
      var offset = 0
      gradient.withPointer { dy in
        for part in parts {
          let block = part.value.count / Swift.max(outer, 1)
          if part.requiresGrad {
            let start = offset
            part.accumulate(pointer: { dx, beta in
              for row in 0..<outer {
                let source = dy + row * width + start
                if beta == 0 {
                  (dx + row * block).update(from: source, count: block)
                } else {
                  BLAS.axpy(source, dx + row * block, count: block)
                }
              }
            })
          }
          offset += block
        }
      }
    }
  }

  /// The indices `range` of `axis`, for example positions `t0..<t1` of the
  /// sequence axis of `[batch, seq, d]`.
  public func slice(_ x: Variable, axis: Int, range: Range<Int>) -> Variable {
    let shape = x.shape
    precondition(axis >= 0 && axis < shape.count, "axis \(axis) out of range for \(shape)")
    precondition(
      range.lowerBound >= 0 && range.upperBound <= shape[axis],
      "slice \(range) out of bounds for extent \(shape[axis])")
    let outer = Tensor.count(of: Array(shape[..<axis]))
    let inner = Tensor.count(of: Array(shape[(axis + 1)...]))
    let width = shape[axis] * inner
    let block = range.count * inner
    let start = range.lowerBound * inner
    var resultShape = shape
    resultShape[axis] = range.count
    let value = x.value
    let result = Tensor.build(resultShape) { y in
      value.withPointer { px in
        for row in 0..<outer {
          (y + row * block).update(from: px + row * width + start, count: block)
        }
      }
    }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(pointer: { dx, beta in
        if beta == 0 { dx.update(repeating: 0, count: outer * width) }
        gradient.withPointer { dy in
          for row in 0..<outer {
            BLAS.axpy(dy + row * block, dx + row * width + start, count: block)
          }
        }
      })
    }
  }

  /// Rows of `x` viewed as `[rows, d]` (leading axes flattened), gathered in
  /// the order of `indices`; returns `[indices.count, d]`. Gradients are
  /// scatter-added, so repeated indices are allowed.
  ///
  /// For example the hidden state at the last real token of each sequence:
  /// `selectRows(h, indices: (0..<batch).map { $0 * seq + last[$0] })`.
  public func selectRows(_ x: Variable, indices: [Int]) -> Variable {
    precondition(x.value.rank >= 1, "selectRows needs rank ≥ 1")
    let width = x.shape[x.value.rank - 1]
    let rows = x.value.count / Swift.max(width, 1)
    for index in indices {
      precondition(index >= 0 && index < rows, "row \(index) out of range 0..<\(rows)")
    }
    let value = x.value
    let result = Tensor.build([indices.count, width]) { y in
      value.withPointer { px in
        for (row, index) in indices.enumerated() {
          (y + row * width).update(from: px + index * width, count: width)
        }
      }
    }
    return output(result, recorded: records(x)) { gradient in
      x.accumulate(pointer: { dx, beta in
        if beta == 0 { dx.update(repeating: 0, count: rows * width) }
        gradient.withPointer { dy in
          for (row, index) in indices.enumerated() {
            BLAS.axpy(dy + row * width, dx + index * width, count: width)
          }
        }
      })
    }
  }
}
