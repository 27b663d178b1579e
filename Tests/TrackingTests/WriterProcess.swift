import Foundation
import Testing

/// A `TrackingWriter` process recording one run into a store, as a training
/// worker would; see Tests/Support/TrackingWriter.
final class WriterProcess {
  /// The writer binary, built beside the test binary.
  static func executable() throws -> URL {
    let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let url = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
      .appendingPathComponent("TrackingWriter")
    try #require(FileManager.default.isExecutableFile(atPath: url.path), "no \(url.path)")
    return url
  }

  private let process = Process()
  private let output = Pipe()
  private let errors = Pipe()
  private var received = ""

  /// Starts a writer of `iterations` iterations of `episodes` episodes;
  /// with `startFile`, it prints `ready` once registered and waits for that
  /// file to exist before writing.
  init(
    store: URL, label: String, iterations: Int, episodes: Int, startFile: URL? = nil
  ) throws {
    process.executableURL = try Self.executable()
    process.arguments = [store.path, label, String(iterations), String(episodes)]
    if let startFile {
      var environment = ProcessInfo.processInfo.environment
      environment["TRACKING_WRITER_START_FILE"] = startFile.path
      process.environment = environment
    }
    process.standardOutput = output
    process.standardError = errors
    try process.run()
  }

  /// Reads the writer's output until it has printed `line`; `false` when it
  /// exited first.
  func waitFor(line: String) -> Bool {
    while !received.split(separator: "\n").contains(Substring(line)) {
      let data = output.fileHandleForReading.availableData
      if data.isEmpty { return false }
      received += String(decoding: data, as: UTF8.self)
    }
    return true
  }

  /// Kills the writer with SIGKILL: no handler runs, nothing is flushed.
  func kill() {
    _ = Glibc.kill(process.processIdentifier, SIGKILL)
  }

  /// Waits for the writer to end; its exit status (or signal) and stderr.
  func finish() -> (status: Int32, signalled: Bool, errors: String) {
    let errorText = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (
      process.terminationStatus, process.terminationReason == .uncaughtSignal, errorText
    )
  }

  /// Whether the writer is still running.
  var isRunning: Bool { process.isRunning }
}
