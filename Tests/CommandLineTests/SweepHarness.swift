import Foundation
import Tracking

/// A temporary folder with a sweep file, and the simulated engine's
/// environment, for running `rarlhf sweep` end to end on real processes.
struct SweepHarness {
  let folder: URL

  /// A folder holding `s.yaml`: tiny IMDB, RLHF and RA-RLHF, the seeds
  /// given (M = 4 iterations per run).
  init(seeds: [Int] = [1, 2, 3], extra: String = "") throws {
    folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-sweep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    let text = """
      name: demo
      task: imdb
      preset: tiny
      parameters:
        algorithm: {values: [rlhf, ra-rlhf]}
        seed: {values: [\(seeds.map(String.init).joined(separator: ", "))]}
      \(extra)
      """
    try text.write(to: sweepFile, atomically: true, encoding: .utf8)
  }

  var sweepFile: URL { folder.appendingPathComponent("s.yaml") }
  var database: URL { folder.appendingPathComponent("runs/rarlhf.sqlite") }

  /// The stand-in engine, `delay` seconds an iteration, failing `seed`.
  static func engine(delay: Double = 0.05, failingSeed: Int? = nil)
    -> [String: String]
  {
    var environment = [
      "RARLHF_ENGINE": "simulated", "RARLHF_SIMULATED_DELAY": "\(delay)",
    ]
    environment["RARLHF_SIMULATED_FAIL_SEED"] = failingSeed.map(String.init)
    return environment
  }

  /// Runs `rarlhf arguments` in the folder and waits for it.
  func run(
    _ arguments: [String], environment: [String: String] = engine()
  ) throws -> Rarlhf.Outcome {
    try Rarlhf.run(arguments, in: folder, environment: environment)
  }

  /// Starts `rarlhf arguments` in the folder without waiting; its output
  /// goes to files in the folder.
  func start(
    _ arguments: [String], environment: [String: String]
  ) throws -> Process {
    let process = Process()
    process.executableURL = Rarlhf.executable
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment
      .merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }

  /// Waits (at most 60 s) until a run of the folder's database is running,
  /// then sends `signal` to `process` and waits for it to end; returns
  /// whether a run was running when the signal was sent.
  func stop(_ process: Process, with signal: Int32) -> Bool {
    let running = Self.wait(upTo: 60) {
      (try? statuses())?.values.contains("running") ?? false
    }
    kill(process.processIdentifier, signal)
    process.waitUntilExit()
    return running
  }

  /// Status of each run, by name.
  func statuses() throws -> [String: String] {
    let store = try Store(at: database, options: .readOnly)
    var result: [String: String] = [:]
    for row in try store.rows("SELECT name, status FROM runs") {
      result[try row.get("name")] = try row.get("status")
    }
    return result
  }

  /// Whether a `rarlhf` process of this folder's database is alive (found
  /// by its command line in /proc).
  func processesAlive() -> Bool {
    !runProcesses(containing: database.path).isEmpty
  }

  /// The ids of live processes whose command line contains `text` and this
  /// folder's database.
  func runProcesses(containing text: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { entry in
      guard let id = Int32(entry),
        let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
      else { return nil }
      let line = String(decoding: data, as: UTF8.self)
      return line.contains(database.path) && line.contains(text) ? id : nil
    }
  }

  /// Waits until `condition` holds, checking every 50 ms, for at most
  /// `limit` seconds; returns whether it held.
  static func wait(
    upTo limit: TimeInterval, until condition: () throws -> Bool
  ) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(limit)
    while Date() < deadline {
      if try condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
  }
}
