import Foundation

/// Runs the built `rarlhf` binary, as a user would, and captures what it says.
struct Rarlhf {
  /// What one invocation printed and how it exited.
  struct Outcome {
    var stdout: String
    var stderr: String
    var status: Int32
  }

  /// The binary next to the test bundle in `.build/<configuration>/`.
  static var executable: URL {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    if folder.lastPathComponent.hasSuffix(".xctest") {
      folder = folder.deletingLastPathComponent()
    }
    return folder.appendingPathComponent("rarlhf")
  }

  /// Runs `rarlhf arguments` in `directory` with `environment` added.
  static func run(
    _ arguments: [String], in directory: URL? = nil,
    environment: [String: String] = [:]
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so a chatty child cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self),
      status: process.terminationStatus)
  }
}
