import COpenBLAS
import Foundation
import Tensors

/// One core's `cblas_sgemm` throughput on the matrix products of the
/// engine's training step (forward and both backward products of each, as
/// many times as the step makes them) and on a 1024³ square product.
///
/// The products are timed straight through CBLAS, not through `Tensors`,
/// because this is the ceiling the engine's step is measured against.
enum SgemmBenchmark {
  /// A product `[m, k] · [k, n]` made `count` times per forward pass.
  struct Product {
    let m: Int
    let n: Int
    let k: Int
    let count: Int
  }

  /// The forward products of one training step: per layer the QKV,
  /// attention output and MLP projections over all 2,048 positions and one
  /// score and one value product per sequence and head; the tied output
  /// layer once.
  static var stepProducts: [Product] {
    let tokens = EngineShape.trainBatch * EngineShape.trainLength
    let d = EngineShape.dModel
    let t = EngineShape.trainLength
    let dHead = d / EngineShape.heads
    let perHead = EngineShape.trainBatch * EngineShape.heads * EngineShape.layers
    let layers = EngineShape.layers
    return [
      Product(m: tokens, n: 3 * d, k: d, count: layers),
      Product(m: tokens, n: d, k: d, count: layers),
      Product(m: tokens, n: 4 * d, k: d, count: layers),
      Product(m: tokens, n: d, k: 4 * d, count: layers),
      Product(m: t, n: t, k: dHead, count: perHead),
      Product(m: t, n: dHead, k: t, count: perHead),
      Product(m: tokens, n: EngineShape.vocabulary, k: d, count: 1),
    ]
  }

  static func run(_ options: BenchOptions) throws {
    let repeats = try options.integer("repeats", 3)
    BLAS.setThreadCount(1)
    openblas_set_num_threads(1)

    // Each forward product C = A·B, then dA = dC·Bᵀ and dB = Aᵀ·dC.
    var shapes: [(m: Int, n: Int, k: Int, ta: Bool, tb: Bool, count: Int)] = []
    for p in stepProducts {
      shapes.append((p.m, p.n, p.k, false, false, p.count))
      shapes.append((p.m, p.k, p.n, false, true, p.count))
      shapes.append((p.k, p.n, p.m, true, false, p.count))
    }
    let flops = shapes.reduce(0.0) { $0 + 2 * Double($1.m * $1.n * $1.k * $1.count) }
    let largest = shapes.map { max($0.m * $0.k, $0.k * $0.n, $0.m * $0.n) }.max() ?? 1
    let a = [Float](repeating: 0.5, count: largest)
    let b = [Float](repeating: 0.25, count: largest)
    var c = [Float](repeating: 0, count: largest)
    var times: [Double] = []
    for _ in 0..<repeats {
      times.append(
        Measurement.seconds {
          for s in shapes {
            for _ in 0..<s.count {
              product(a, b, &c, m: s.m, n: s.n, k: s.k, transposeA: s.ta, transposeB: s.tb)
            }
          }
        })
    }
    let stepShapes = flops / (times.min() ?? 1) / 1e9

    let side = 1024
    let square = [Float](repeating: 0.5, count: side * side)
    var out = [Float](repeating: 0, count: side * side)
    let squareTime =
      (0..<repeats).map { _ in
        Measurement.seconds {
          product(
            square, square, &out, m: side, n: side, k: side, transposeA: false,
            transposeB: false)
        }
      }.min() ?? 1
    try Measurement.emit([
      "benchmark": "sgemm", "side": "rarlhf", "threads": 1,
      "step_shapes_gflops_per_s": stepShapes, "step_shapes_flops": flops,
      "square_1024_gflops_per_s": 2 * pow(Double(side), 3) / squareTime / 1e9,
      "blas": BLAS.configuration,
    ])
  }

  private static func product(
    _ a: [Float], _ b: [Float], _ c: inout [Float], m: Int, n: Int, k: Int,
    transposeA: Bool, transposeB: Bool
  ) {
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
      transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), 1, a,
      Int32(transposeA ? m : k), b, Int32(transposeB ? k : n), 0, &c, Int32(n))
  }
}
