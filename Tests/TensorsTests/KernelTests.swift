import Foundation
import Testing

@testable import Tensors

@Suite struct KernelTests {
  /// The vectorised exponential against `Double` `exp` rounded to `Float`,
  /// on 120,000 points spanning the finite range: at most 2 ulp apart.
  @Test func exponentialIsWithinTwoUlp() {
    var worst: Float = 0
    var x: Float = -87.3
    while x < 88.7 {
      let exact = Float(Foundation.exp(Double(x)))
      worst = Swift.max(worst, Swift.abs(Kernels.exp(x) - exact) / exact.ulp)
      x += 0.001_47
    }
    #expect(worst <= 2)
  }

  @Test func exponentialHandlesTheEdges() {
    #expect(Kernels.exp(0) == 1)
    #expect(Kernels.exp(-.infinity) == 0)
    #expect(Kernels.exp(-100) == 0)
    #expect(Kernels.exp(100) == .infinity)
    #expect(Kernels.exp(.nan).isNaN)
  }

  @Test func tanhIsWithinTwoTenMillionths() {
    var worst: Float = 0
    var x: Float = -12
    while x < 12 {
      worst = Swift.max(worst, Swift.abs(Kernels.tanh(x) - Float(Foundation.tanh(Double(x)))))
      x += 0.000_37
    }
    #expect(worst < 2e-7)
  }

  @Test(arguments: [0, 1, 15, 16, 17, 100])
  func reductionsAgreeWithPlainLoops(count: Int) {
    var generator = RandomGenerator(seed: UInt64(count))
    let values = (0..<count).map { _ in generator.nextNormal() }
    values.withUnsafeBufferPointer { buffer in
      let base = buffer.baseAddress ?? UnsafePointer(Kernels.emptyBase)
      let sum = Kernels.sum(base, count: count)
      #expect(Swift.abs(sum - values.reduce(0, +)) < 1e-4)
      #expect(Kernels.maximum(base, count: count) == (values.max() ?? -.infinity))
    }
  }
}
