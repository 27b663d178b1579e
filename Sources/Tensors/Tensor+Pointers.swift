extension Tensor {
  /// Calls `body` with the base address of the scalars (a valid dummy when
  /// the tensor is empty).
  @inline(__always)
  func withPointer<Result>(_ body: (UnsafePointer<Float>) -> Result) -> Result {
    scalars.withUnsafeBufferPointer { body($0.baseAddress ?? UnsafePointer(Kernels.emptyBase)) }
  }

  /// Calls `body` with the mutable base address of the scalars.
  @inline(__always)
  mutating func withMutablePointer<Result>(
    _ body: (UnsafeMutablePointer<Float>) -> Result
  ) -> Result {
    scalars.withUnsafeMutableBufferPointer { body($0.baseAddress ?? Kernels.emptyBase) }
  }

  /// A tensor of `shape` whose scalars `body` writes through a base address.
  @inline(__always)
  static func build(
    _ shape: [Int], _ body: (UnsafeMutablePointer<Float>) -> Void
  ) -> Tensor {
    filled(shape: shape) { body($0.baseAddress ?? Kernels.emptyBase) }
  }
}
