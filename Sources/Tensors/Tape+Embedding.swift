extension Tape {
  /// Rows of an embedding table looked up by id: `table` `[V, d]` and `ids`
  /// of shape `shape` (flat, row-major) give `shape + [d]`. The gradient is
  /// scatter-added into the table, so repeated ids accumulate.
  ///
  /// - Parameters:
  ///   - table: `[V, d]` (GPT-2's `wte` or `wpe`).
  ///   - ids: ids in `0..<V`, flat and row-major; `ids.count` is the
  ///     product of `shape`.
  ///   - shape: the shape of `ids`, for example `[batch, seq]`.
  public func embedding(_ table: Variable, ids: [Int], shape: [Int]) -> Variable {
    precondition(table.value.rank == 2, "embedding table must be [V, d], got \(table.shape)")
    precondition(ids.count == Tensor.count(of: shape), "\(ids.count) ids for shape \(shape)")
    let vocabulary = table.shape[0]
    let width = table.shape[1]
    for id in ids {
      precondition(id >= 0 && id < vocabulary, "id \(id) outside 0..<\(vocabulary)")
    }
    let value = table.value
    let result = Tensor.build(shape + [width]) { y in
      value.withPointer { pt in
        for (row, id) in ids.enumerated() {
          (y + row * width).update(from: pt + id * width, count: width)
        }
      }
    }
    return output(result, recorded: records(table)) { gradient in
      table.accumulate(pointer: { dt, beta in
        if beta == 0 { dt.update(repeating: 0, count: vocabulary * width) }
        gradient.withPointer { dy in
          for (row, id) in ids.enumerated() {
            BLAS.axpy(dy + row * width, dt + id * width, count: width)
          }
        }
      })
    }
  }
}
