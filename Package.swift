// swift-tools-version: 6.0
// rarlhf: risk-averse fine-tuning of language models (RA-RLHF), in Swift.
import Foundation
import PackageDescription

/// The tensor kernels are compiled for AVX2 and FMA (`-target-cpu haswell`)
/// when the building machine has them: the element-wise and softmax loops
/// are auto-vectorised, and 256-bit lanes make them about twice as fast as
/// the SSE2 baseline. Builds run where they are made, so the check is done
/// on the build machine; without AVX2 the baseline is kept.
let tensorsSwiftSettings: [SwiftSetting] = {
  #if os(Linux) && arch(x86_64)
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
      Set(flags.split(separator: " ")).isSuperset(of: ["avx2", "fma"])
    else { return [] }
    return [.unsafeFlags(["-target-cpu", "haswell"])]
  #else
    return []
  #endif
}()

/// Each C library enters through one `systemLibrary` target; its module name
/// never appears outside the Swift module that wraps it.
let cLibraries: [Target] = [
  .systemLibrary(
    name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
    providers: [.apt(["libsqlite3-dev"])]),
  .systemLibrary(
    name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
    providers: [.apt(["libopenblas-dev"])]),
  .systemLibrary(
    name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
    providers: [.apt(["libyaml-dev"])]),
  .systemLibrary(
    name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
    providers: [.apt(["libssl-dev"])]),
  .systemLibrary(
    name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
    providers: [.apt(["zlib1g-dev"])]),
]

let modules: [Target] = [
  .target(name: "ArgumentParsing"),
  .target(name: "Checksums", dependencies: ["COpenSSL"]),
  .target(
    name: "Tensors", dependencies: ["COpenBLAS"], swiftSettings: tensorsSwiftSettings),
  .target(name: "Models", dependencies: ["Tensors"]),
  .target(name: "TextData", dependencies: ["Checksums", "CZlib"]),
  .target(name: "Tracking", dependencies: ["Checksums", "CSQLite"]),
  .target(name: "YAML", dependencies: ["CYAML"]),
  .target(
    name: "Configuration",
    dependencies: ["ArgumentParsing", "Checksums", "TextData", "YAML"]),
  .target(
    name: "RLHF",
    dependencies: ["Checksums", "Configuration", "Models", "Tensors", "TextData", "Tracking"]
  ),
  .target(
    name: "Sweeps",
    dependencies: ["Configuration", "RLHF", "TextData", "Tracking", "YAML"]),
  .target(name: "Reports", dependencies: ["Tracking"]),
  .executableTarget(
    name: "rarlhf",
    dependencies: [
      "ArgumentParsing", "Configuration", "RLHF", "Reports", "Sweeps",
      "TextData", "Tracking",
    ]),
]

/// Executables that tests run as separate processes, a PNG decoder that
/// tests of figures share, and benchmarks.
let support: [Target] = [
  .executableTarget(
    name: "TrackingWriter", dependencies: ["Checksums", "Tracking"],
    path: "Tests/Support/TrackingWriter"),
  .target(name: "TestImages", dependencies: ["CZlib"], path: "Tests/Support/TestImages"),
  .executableTarget(
    name: "rarlhf-bench",
    dependencies: [
      "COpenBLAS", "Models", "RLHF", "Reports", "Tensors", "TextData", "Tracking",
    ],
    path: "Benchmarks/rarlhf-bench"),
]

let tests: [Target] = [
  .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"]),
  .testTarget(name: "ChecksumsTests", dependencies: ["Checksums"]),
  .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
  .testTarget(
    name: "ModelsTests", dependencies: ["Models", "Tensors"],
    exclude: ["Reference"]),
  .testTarget(name: "TextDataTests", dependencies: ["TextData"]),
  .testTarget(name: "TrackingTests", dependencies: ["Tracking", "TrackingWriter"]),
  .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
  .testTarget(name: "ConfigurationTests", dependencies: ["ArgumentParsing", "Configuration"]),
  .testTarget(
    name: "RLHFTests",
    dependencies: ["Configuration", "Models", "RLHF", "Tensors", "TextData", "Tracking"]),
  .testTarget(name: "SweepsTests", dependencies: ["Sweeps"]),
  .testTarget(
    name: "ReportsTests", dependencies: ["Reports", "TestImages", "Tracking"],
    exclude: ["Golden"]),
  .testTarget(
    name: "CommandLineTests",
    dependencies: ["RLHF", "Reports", "TestImages", "Tracking", "rarlhf"]),
]

let package = Package(
  name: "rarlhf",
  products: [.executable(name: "rarlhf", targets: ["rarlhf"])],
  targets: cLibraries + modules + support + tests,
  swiftLanguageModes: [.v6]
)
