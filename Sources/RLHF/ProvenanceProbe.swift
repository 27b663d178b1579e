import Checksums
import Foundation
import Tensors
import TextData
import Tracking

/// Collects where a run's results come from: the code (git commit, whether
/// the tree was dirty and a hash of the diff), the toolchain and operating
/// system, the BLAS library and its thread count, and checksums of the data
/// files the run's task reads. Checkpoints are recorded separately, as the
/// run's artifacts.
///
/// Every probe is best effort: a value that cannot be found (no git, a
/// source tree that is not a checkout) is left nil rather than failing the
/// run; the data checksums, which a run cannot go without, are required.
public struct ProvenanceProbe: Sendable {
  /// The folder of the rarlhf sources the binary was built from.
  public var sourceRoot: URL

  /// A probe of the checkout this file was compiled in.
  public init(sourceRoot: URL = ProvenanceProbe.compiledSourceRoot) {
    self.sourceRoot = sourceRoot
  }

  /// The package root, three levels above this file.
  public static var compiledSourceRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }

  /// The provenance of a run of `task` reading `data`.
  ///
  /// - Throws: `ChecksumError` when a data file the task needs cannot be read.
  public func provenance(task: TaskName, data: DataDirectory) throws -> Provenance {
    var checksums: [String: String] = [:]
    for file in DataDirectory.File.needed(by: task) {
      checksums[file.rawValue] = try SHA256.hex(ofFileAt: data.url(for: file))
    }
    let commit = run("git", ["-C", sourceRoot.path, "rev-parse", "HEAD"])
    let status = run("git", ["-C", sourceRoot.path, "status", "--porcelain"])
    let dirty = status.map { !$0.isEmpty }
    let diff = dirty == true ? run("git", ["-C", sourceRoot.path, "diff", "HEAD"]) : nil
    return Provenance(
      gitCommit: commit, gitDirty: dirty, gitDiffHash: diff.map { SHA256.hex(of: $0) },
      swiftVersion: run("swift", ["--version"])?.split(separator: "\n").first.map(String.init),
      os: Self.operatingSystem, blas: BLAS.configuration, blasThreads: BLAS.threadCount,
      dataChecksums: checksums)
  }

  /// `PRETTY_NAME` of `/etc/os-release` and the kernel version.
  static var operatingSystem: String {
    let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
    let pretty = release.split(separator: "\n")
      .first { $0.hasPrefix("PRETTY_NAME=") }
      .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: ["\""]) }
    let kernel = ProcessInfo.processInfo.operatingSystemVersionString
    return [pretty, kernel].compactMap { $0 }.joined(separator: "; ")
  }

  /// The trimmed standard output of `program arguments` found on `PATH`, or
  /// nil when it cannot run or exits with a non-zero status.
  private func run(_ program: String, _ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [program] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
