import COpenBLAS
import Foundation

/// The BLAS library behind every matrix product (OpenBLAS through CBLAS),
/// and its thread policy.
///
/// A process uses one BLAS thread unless told otherwise: the default is
/// applied before the first product, because sweeps run several training
/// processes side by side on few cores and oversubscription slows all of
/// them. Call `setThreadCount(_:)` to change it, and record `threadCount` and
/// `configuration` as provenance.
public enum BLAS {
  /// Applies the process defaults once, before the first product: the
  /// kernel family (see `coreOverride`), one thread, and the allocator
  /// policy of `ProcessTuning.keepFreedMemory()`.
  private static let defaultApplied: Bool = {
    ProcessTuning.keepFreedMemory()
    coreOverride = selectCoreIfMisdetected()
    openblas_set_num_threads(1)
    return true
  }()

  /// The core OpenBLAS detected by itself when rarlhf replaced it, else
  /// `nil`.
  nonisolated(unsafe) private static var coreOverride: String?

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

  /// The library's build configuration and kernel family, for example
  /// `"OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"`
  /// (`openblas_get_config`, with the core name from
  /// `openblas_get_corename` when the configuration does not name it), and
  /// `" (core chosen by rarlhf; OpenBLAS detected Prescott)"` appended when
  /// the detected core was replaced.
  public static var configuration: String {
    _ = defaultApplied
    var config = openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
    let core = openblas_get_corename().map { String(cString: $0) } ?? ""
    if !core.isEmpty && !config.lowercased().contains(core.lowercased()) {
      config += " core=\(core)"
    }
    if let coreOverride {
      config += " (core chosen by rarlhf; OpenBLAS detected \(coreOverride))"
    }
    return config
  }

  /// Replaces OpenBLAS's kernel family when its CPU detection fell back to
  /// the generic SSE3 kernels ("Prescott") on a processor that has AVX2 or
  /// AVX-512, which happens on virtual machines whose CPU model it does not
  /// know; the vector kernels are 3–6× faster there. Returns the detected
  /// core when it was replaced.
  ///
  /// It sets `OPENBLAS_CORETYPE` (OpenBLAS's documented override) and asks
  /// the library to select again (`gotoblas_dynamic_quit`, then
  /// `gotoblas_dynamic_init`, found with `dlsym` because only builds with
  /// `DYNAMIC_ARCH` have them). Nothing changes when `OPENBLAS_CORETYPE` is
  /// already set, on builds without `DYNAMIC_ARCH`, or when the detected
  /// core is not the generic fallback.
  private static func selectCoreIfMisdetected() -> String? {
    #if os(Linux) && arch(x86_64)
      guard getenv("OPENBLAS_CORETYPE") == nil,
        let detected = openblas_get_corename().map({ String(cString: $0) }),
        detected.lowercased() == "prescott",
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let flagLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
      else { return nil }
      let flags = Set(flagLine.split(separator: " ").map(String.init))
      let core: String
      if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) {
        core = "SkylakeX"
      } else if flags.isSuperset(of: ["avx2", "fma"]) {
        core = "Haswell"
      } else {
        return nil
      }
      guard let handle = dlopen(nil, RTLD_NOW),
        let quit = dlsym(handle, "gotoblas_dynamic_quit"),
        let initialise = dlsym(handle, "gotoblas_dynamic_init")
      else { return nil }
      typealias Entry = @convention(c) () -> Void
      setenv("OPENBLAS_CORETYPE", core, 0)
      unsafeBitCast(quit, to: Entry.self)()
      unsafeBitCast(initialise, to: Entry.self)()
      return detected
    #else
      return nil
    #endif
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

  /// y = alpha · op(A) · x + beta · y for a row-major `[m, n]` A with row
  /// stride `lda` (default `n`, dense) (`cblas_sgemv`); op(A) is Aᵀ when
  /// `transpose`.
  @inline(__always)
  static func gemv(
    _ a: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    m: Int, n: Int, transpose: Bool, alpha: Float = 1, beta: Float = 0, lda: Int? = nil
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
      a, Int32(Swift.max(lda ?? n, 1)), x, 1, beta, y, 1)
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
