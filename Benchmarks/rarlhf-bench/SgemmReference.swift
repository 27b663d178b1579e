import COpenBLAS
import Tensors

/// The least CPU time one core's `cblas_sgemm` takes for a pass's forward
/// products and, separately, for their backward products (dA = dC · Bᵀ and
/// dB = Aᵀ · dC of each), timed straight through CBLAS on dense operands:
/// the ceiling an engine step making those products is measured against.
///
/// It sets BLAS to one thread, so measure it after the engine's own
/// 1-thread timings.
struct SgemmReference {
  /// FLOPs of the forward products, 2 per multiply-add.
  let forwardFLOPs: Double
  /// FLOPs of the backward products (twice `forwardFLOPs`).
  let backwardFLOPs: Double
  /// The least process CPU time of `repeats` runs of the forward products.
  let forwardSeconds: Double
  /// The least process CPU time of `repeats` runs of the backward products.
  let backwardSeconds: Double

  private typealias Shape = (m: Int, n: Int, k: Int, ta: Bool, tb: Bool, count: Int)

  /// Times `products` (each made `count` times) `repeats` times.
  init(products: [EngineShape.Product], repeats: Int) {
    BLAS.setThreadCount(1)
    openblas_set_num_threads(1)
    let forward: [Shape] = products.map { ($0.m, $0.n, $0.k, false, false, $0.count) }
    let backward: [Shape] = products.flatMap { p -> [Shape] in
      [(p.m, p.k, p.n, false, true, p.count), (p.k, p.n, p.m, true, false, p.count)]
    }
    let all = forward + backward
    let largest = all.map { max($0.m * $0.k, $0.k * $0.n, $0.m * $0.n) }.max() ?? 1
    let a = [Float](repeating: 0.5, count: largest)
    let b = [Float](repeating: 0.25, count: largest)
    var c = [Float](repeating: 0, count: largest)
    func time(_ shapes: [Shape]) -> Double {
      Measurement.cpuSeconds {
        for s in shapes {
          for _ in 0..<s.count {
            Self.product(a, b, &c, m: s.m, n: s.n, k: s.k, transposeA: s.ta, transposeB: s.tb)
          }
        }
      }
    }
    var forwardTimes: [Double] = []
    var backwardTimes: [Double] = []
    for _ in 0..<repeats {
      forwardTimes.append(time(forward))
      backwardTimes.append(time(backward))
    }
    forwardFLOPs = Self.flops(of: products, forwardPasses: 1, backwardPasses: 0)
    backwardFLOPs = 2 * forwardFLOPs
    forwardSeconds = forwardTimes.min() ?? 1
    backwardSeconds = backwardTimes.min() ?? 1
  }

  /// FLOPs of `forwardPasses` forward and `backwardPasses` backward passes
  /// over `products`.
  static func flops(
    of products: [EngineShape.Product], forwardPasses: Int = 1, backwardPasses: Int = 1
  ) -> Double {
    Double(forwardPasses + 2 * backwardPasses) * products.reduce(0) { $0 + $1.flops }
  }

  /// sgemm's GFLOP/s over that mix of passes.
  func gigaflopsPerSecond(forwardPasses: Int = 1, backwardPasses: Int = 1) -> Double {
    let seconds =
      Double(forwardPasses) * forwardSeconds + Double(backwardPasses) * backwardSeconds
    let flops = Double(forwardPasses) * forwardFLOPs + Double(backwardPasses) * backwardFLOPs
    return flops / seconds / 1e9
  }

  /// C = op(A) · op(B) through CBLAS, dense row-major.
  static func product(
    _ a: [Float], _ b: [Float], _ c: inout [Float], m: Int, n: Int, k: Int,
    transposeA: Bool, transposeB: Bool
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
      transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a,
      Int32(transposeA ? m : k), b, Int32(transposeB ? k : n), 0, &c, Int32(n))
  }
}
