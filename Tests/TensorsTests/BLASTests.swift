import Foundation
import Tensors
import Testing

@Suite struct BLASTests {
  @Test func threadCountCanBeSetAndRead() {
    BLAS.setThreadCount(2)
    #expect(BLAS.threadCount == 2)
    BLAS.setThreadCount(1)
    #expect(BLAS.threadCount == 1)
  }

  /// On a CPU with AVX2 the generic SSE3 kernels ("Prescott") must not be in
  /// use, whatever OpenBLAS detected by itself (unless the user forced a
  /// core with `OPENBLAS_CORETYPE`).
  @Test func vectorKernelsAreUsedWhenTheCPUHasThem() throws {
    let configuration = BLAS.configuration
    #expect(configuration.contains("OpenBLAS"))
    let environment = ProcessInfo.processInfo.environment
    guard environment["OPENBLAS_CORETYPE"] == nil || configuration.contains("rarlhf"),
      let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
      flags.split(separator: " ").contains("avx2")
    else { return }
    let core = configuration.replacingOccurrences(of: "detected Prescott", with: "")
    #expect(!core.contains("Prescott"), "\(configuration)")
  }
}
