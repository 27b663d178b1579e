import COpenBLAS
import Foundation
import Tensors

/// One core's `cblas_sgemm` throughput on the matrix products of the
/// engine's training step (`EngineShape.trainStepProducts`, forward and
/// both backward products of each) and on a 1024³ square product, in CPU
/// time.
///
/// `train-step` and `ppo-step` measure the same reference in their own
/// process, on their own products, for their fraction of sgemm; this
/// subcommand shows it alone.
enum SgemmBenchmark {
  static func run(_ options: BenchOptions) throws {
    let repeats = try options.integer("repeats", 3)
    let reference = SgemmReference(products: EngineShape.trainStepProducts, repeats: repeats)

    let side = 1024
    let square = [Float](repeating: 0.5, count: side * side)
    var out = [Float](repeating: 0, count: side * side)
    let squareTime =
      (0..<repeats).map { _ in
        Measurement.cpuSeconds {
          SgemmReference.product(
            square, square, &out, m: side, n: side, k: side, transposeA: false,
            transposeB: false)
        }
      }.min() ?? 1
    try Measurement.emit([
      "benchmark": "sgemm", "side": "rarlhf", "threads": 1,
      "step_shapes_gflops_per_s": reference.gigaflopsPerSecond(),
      "step_shapes_flops": reference.forwardFLOPs + reference.backwardFLOPs,
      "square_1024_gflops_per_s": 2 * pow(Double(side), 3) / squareTime / 1e9,
      "blas": BLAS.configuration,
    ])
  }
}
