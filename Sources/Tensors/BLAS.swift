import COpenBLAS

/// The BLAS library behind every matrix product (OpenBLAS through CBLAS),
/// and its thread policy.
///
/// A process uses one BLAS thread unless told otherwise: the default is
/// applied before the first product, because sweeps run several training
/// processes side by side on few cores and oversubscription slows all of
/// them. Call `setThreadCount(_:)` to change it, and record `threadCount` and
/// `configuration` as provenance.
public enum BLAS {
  /// Applies the one-thread default once per process.
  private static let defaultApplied: Bool = {
    openblas_set_num_threads(1)
    return true
  }()

  /// Sets the number of threads BLAS may use for one product
  /// (`openblas_set_num_threads`).
  ///
  /// - Precondition: `count >= 1`.
  public static func setThreadCount(_ count: Int) {
    precondition(count >= 1, "BLAS thread count must be ≥ 1, got \(count)")
    _ = defaultApplied
    openblas_set_num_threads(Int32(count))
  }

  /// The number of threads BLAS uses (`openblas_get_num_threads`).
  public static var threadCount: Int {
    _ = defaultApplied
    return Int(openblas_get_num_threads())
  }

  /// The library's build configuration, for example
  /// `"OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"`
  /// (`openblas_get_config`, with the core name from
  /// `openblas_get_corename` when the configuration does not name it).
  public static var configuration: String {
    let config = openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
    let core = openblas_get_corename().map { String(cString: $0) } ?? ""
    if core.isEmpty || config.lowercased().contains(core.lowercased()) {
      return config
    }
    return "\(config) core=\(core)"
  }

  // MARK: - Kernels

  /// C = alpha · op(A) · op(B) + beta · C, row-major (`cblas_sgemm`).
  ///
  /// op(A) is `[m, k]`: A is stored `[m, k]` with row stride `lda`, or
  /// `[k, m]` when `transposeA`. op(B) is `[k, n]`: B is stored `[k, n]`, or
  /// `[n, k]` when `transposeB`. C is `[m, n]` with row stride `ldc`. Strides
  /// default to dense rows, and larger strides address column blocks of a
  /// wider matrix (one attention head inside `[T, heads·dHead]`).
  @inline(__always)
  static func gemm(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0, lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil
  ) {
    _ = defaultApplied
    if m == 0 || n == 0 { return }
    let strideA = lda ?? (transposeA ? m : k)
    let strideB = ldb ?? (transposeB ? k : n)
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
      transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(Swift.max(strideA, 1)),
      b, Int32(Swift.max(strideB, 1)), beta, c, Int32(Swift.max(ldc ?? n, 1)))
  }

  /// y = alpha · op(A) · x + beta · y for a dense row-major `[m, n]` A
  /// (`cblas_sgemv`); op(A) is Aᵀ when `transpose`.
  @inline(__always)
  static func gemv(
    _ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    m: Int, n: Int, transpose: Bool, alpha: Float = 1, beta: Float = 0
  ) {
    _ = defaultApplied
    if m == 0 || n == 0 {
      let length = transpose ? n : m
      if beta == 0 { y.update(repeating: 0, count: length) }
      return
    }
    // Zeroed here so that stale NaNs in an uninitialised `y` cannot leak
    // through a `0 · y` in the library.
    if beta == 0 { y.update(repeating: 0, count: transpose ? n : m) }
    cblas_sgemv(
      CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha,
      a, Int32(n), x, 1, beta, y, 1)
  }

  /// y += alpha · x over `count` scalars (`cblas_saxpy`).
  @inline(__always)
  static func axpy(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, alpha: Float = 1
  ) {
    if count == 0 { return }
    cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
  }

  /// The dot product of two dense vectors (`cblas_sdot`).
  @inline(__always)
  static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
    if count == 0 { return 0 }
    return cblas_sdot(Int32(count), x, 1, y, 1)
  }
}
