extension Tape {
  /// The matrix product op(`a`) · op(`b`), where op transposes the last two
  /// axes when the matching flag is set (BLAS does the transposing; nothing
  /// is copied).
  ///
  /// - Both rank 2: op(a) `[m, k]` · op(b) `[k, n]` → `[m, n]`.
  /// - `a` of rank ≥ 3 without `transposeA`, `b` of rank 2: the leading axes
  ///   of `a` are flattened into rows, `[..., k]` · `[k, n]` → `[..., n]`
  ///   (for example hidden states times a tied embedding with
  ///   `transposeB: true`).
  /// - Both rank ≥ 3 with equal leading axes: one product per leading index
  ///   (batched), `[..., m, k]` · `[..., k, n]` → `[..., m, n]`.
  public func matmul(
    _ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false
  ) -> Variable {
    precondition(a.value.rank >= 2 && b.value.rank >= 2, "matmul needs rank ≥ 2 operands")
    if a.value.rank > 2 && b.value.rank == 2 && !transposeA {
      let k = a.shape[a.value.rank - 1]
      let flat = reshape(a, to: [-1, k])
      let product = matmul(flat, b, transposeA: false, transposeB: transposeB)
      return reshape(product, to: Array(a.shape.dropLast()) + [product.shape[1]])
    }
    let batchShape = Array(a.shape.dropLast(2))
    precondition(
      batchShape == Array(b.shape.dropLast(2)),
      "matmul batch axes differ: \(a.shape) and \(b.shape)")
    let rowsA = a.shape[a.value.rank - 2]
    let columnsA = a.shape[a.value.rank - 1]
    let rowsB = b.shape[b.value.rank - 2]
    let columnsB = b.shape[b.value.rank - 1]
    let m = transposeA ? columnsA : rowsA
    let k = transposeA ? rowsA : columnsA
    let n = transposeB ? rowsB : columnsB
    precondition(
      k == (transposeB ? columnsB : rowsB),
      "matmul inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") · "
        + "\(b.shape)\(transposeB ? "ᵀ" : "")")
    let batch = Tensor.count(of: batchShape)
    let valueA = a.value
    let valueB = b.value
    let product = Tensor.build(batchShape + [m, n]) { c in
      valueA.withPointer { pa in
        valueB.withPointer { pb in
          for index in 0..<batch {
            BLAS.gemm(
              pa + index * m * k, pb + index * k * n, c + index * m * n, m: m, n: n, k: k,
              transposeA: transposeA, transposeB: transposeB)
          }
        }
      }
    }
    return output(product, recorded: records(a, b)) { gradient in
      gradient.withPointer { dc in
        if a.requiresGrad {
          a.accumulate(pointer: { da, beta in
            valueB.withPointer { pb in
              for index in 0..<batch {
                let pdc = dc + index * m * n
                let pbi = pb + index * k * n
                let pda = da + index * m * k
                if transposeA {
                  BLAS.gemm(
                    pbi, pdc, pda, m: k, n: m, k: n, transposeA: transposeB, transposeB: true,
                    beta: beta)
                } else {
                  BLAS.gemm(
                    pdc, pbi, pda, m: m, n: k, k: n, transposeB: !transposeB, beta: beta)
                }
              }
            }
          })
        }
        if b.requiresGrad {
          b.accumulate(pointer: { db, beta in
            valueA.withPointer { pa in
              for index in 0..<batch {
                let pdc = dc + index * m * n
                let pai = pa + index * m * k
                let pdb = db + index * k * n
                if transposeB {
                  BLAS.gemm(
                    pdc, pai, pdb, m: n, n: k, k: m, transposeA: true, transposeB: transposeA,
                    beta: beta)
                } else {
                  BLAS.gemm(
                    pai, pdc, pdb, m: k, n: n, k: m, transposeA: !transposeA, beta: beta)
                }
              }
            }
          })
        }
      }
    }
  }

  /// The affine map `x · weight + bias` over the last axis, with GPT-2's
  /// Conv1D layout.
  ///
  /// - Parameters:
  ///   - x: `[..., in]`, row-major.
  ///   - weight: `[in, out]` (GPT-2's Conv1D layout, not PyTorch Linear's).
  ///   - bias: `[out]`, or `nil` for none.
  /// - Returns: `[..., out]`.
  public func linear(_ x: Variable, weight: Variable, bias: Variable? = nil) -> Variable {
    precondition(weight.value.rank == 2, "linear weight must be [in, out], got \(weight.shape)")
    let inputs = weight.shape[0]
    let outputs = weight.shape[1]
    precondition(
      x.value.rank >= 1 && x.shape[x.value.rank - 1] == inputs,
      "linear input \(x.shape) does not end in \(inputs)")
    if let bias {
      precondition(bias.shape == [outputs], "linear bias \(bias.shape) is not [\(outputs)]")
    }
    let rows = x.value.count / Swift.max(inputs, 1)
    let valueX = x.value
    let valueW = weight.value
    let valueBias = bias?.value
    let result = Tensor.build(Array(x.shape.dropLast()) + [outputs]) { y in
      if let valueBias {
        valueBias.withPointer { pb in
          for row in 0..<rows { (y + row * outputs).update(from: pb, count: outputs) }
        }
      }
      valueX.withPointer { px in
        valueW.withPointer { pw in
          BLAS.gemm(
            px, pw, y, m: rows, n: outputs, k: inputs, beta: valueBias == nil ? 0 : 1)
        }
      }
    }
    let inputsToRecord = bias.map { [x, weight, $0] } ?? [x, weight]
    return output(result, recorded: records(inputsToRecord)) { gradient in
      gradient.withPointer { dy in
        if x.requiresGrad {
          x.accumulate(pointer: { dx, beta in
            valueW.withPointer { pw in
              BLAS.gemm(
                dy, pw, dx, m: rows, n: inputs, k: outputs, transposeB: true, beta: beta)
            }
          })
        }
        if weight.requiresGrad {
          weight.accumulate(pointer: { dw, beta in
            valueX.withPointer { px in
              BLAS.gemm(
                px, dy, dw, m: inputs, n: outputs, k: rows, transposeA: true, beta: beta)
            }
          })
        }
        if let bias, bias.requiresGrad {
          let ones = [Float](repeating: 1, count: rows)
          bias.accumulate(pointer: { db, beta in
            BLAS.gemv(dy, ones, db, m: rows, n: outputs, transpose: true, beta: beta)
          })
        }
      }
    }
  }
}
