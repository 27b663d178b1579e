// swift-tools-version: 6.0
// rarlhf: risk-averse fine-tuning of language models (RA-RLHF), in Swift.
import PackageDescription

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
  .target(name: "Tensors", dependencies: ["COpenBLAS"]),
  .target(name: "Models", dependencies: ["Tensors"]),
  .target(name: "TextData", dependencies: ["Checksums", "CZlib"]),
  .target(name: "Tracking", dependencies: ["Checksums", "CSQLite"]),
  .target(name: "YAML", dependencies: ["CYAML"]),
  .target(name: "Configuration", dependencies: ["Checksums", "YAML"]),
  .target(
    name: "RLHF",
    dependencies: ["Checksums", "Configuration", "Models", "Tensors", "TextData", "Tracking"]
  ),
  .target(
    name: "Sweeps",
    dependencies: ["Configuration", "RLHF", "Tracking", "YAML"]),
  .target(name: "Reports", dependencies: ["Tracking"]),
  .executableTarget(
    name: "rarlhf",
    dependencies: [
      "ArgumentParsing", "Configuration", "RLHF", "Reports", "Sweeps",
      "TextData", "Tracking",
    ]),
]

/// Executables that tests run as separate processes, and benchmarks.
let support: [Target] = [
  .executableTarget(
    name: "TrackingWriter", dependencies: ["Checksums", "Tracking"],
    path: "Tests/Support/TrackingWriter"),
  .executableTarget(
    name: "TrackingBenchmark", dependencies: ["Tracking"],
    path: "Benchmarks/TrackingBenchmark"),
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
  .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
  .testTarget(
    name: "RLHFTests", dependencies: ["Configuration", "Models", "RLHF", "Tensors", "Tracking"]),
  .testTarget(name: "SweepsTests", dependencies: ["Sweeps"]),
  .testTarget(name: "ReportsTests", dependencies: ["Reports", "Tracking"]),
  .testTarget(name: "CommandLineTests", dependencies: ["rarlhf"]),
]

let package = Package(
  name: "rarlhf",
  products: [.executable(name: "rarlhf", targets: ["rarlhf"])],
  targets: cLibraries + modules + support + tests,
  swiftLanguageModes: [.v6]
)
