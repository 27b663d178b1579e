import Foundation
import Testing
import Tracking

/// Ctrl-C (SIGINT) of a sweep and of a run of its own: what is recorded
/// and what is said.
@Suite struct InterruptTests {
  @Test func ctrlCOfASweepIsRecordedAsTheReasonOfItsRuns() throws {
    let sweep = try SweepHarness()
    let process = try sweep.start(
      ["sweep", "run", "s.yaml", "--jobs", "2"],
      environment: SweepHarness.engine(delay: 0.5))
    #expect(sweep.stop(process, with: SIGINT))
    #expect(process.terminationStatus == 130)
    let status = try sweep.run(["sweep", "status", "demo"])
    let reasons = status.stdout.split(separator: "\n").filter {
      $0.hasPrefix("interrupted: ")
    }
    #expect(!reasons.isEmpty)
    #expect(reasons.allSatisfy { $0.hasSuffix(": stopped by SIGINT (Ctrl-C) of the sweep") })
  }

  @Test func ctrlCOfARunSaysItIsRecordedAndHowToResume() throws {
    let sweep = try SweepHarness()
    let errors = sweep.folder.appendingPathComponent("stderr.txt")
    FileManager.default.createFile(atPath: errors.path, contents: nil)
    let process = Process()
    process.executableURL = Rarlhf.executable
    process.arguments = ["run", "task=imdb", "preset=tiny", "seed=5"]
    process.currentDirectoryURL = sweep.folder
    process.environment = ProcessInfo.processInfo.environment
      .merging(SweepHarness.engine(delay: 0.5)) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    #expect(sweep.stop(process, with: SIGINT))
    #expect(process.terminationStatus == 130)
    let said = try String(contentsOf: errors, encoding: .utf8)
      .split(separator: "\n").filter { $0.hasPrefix("error: ") }
    #expect(said.count == 1)
    #expect(said.first?.contains("stopped by SIGINT (Ctrl-C)") == true)
    #expect(said.first?.contains("recorded as interrupted") == true)
    #expect(said.first?.contains("run the same command again to resume it") == true)
    #expect(try sweep.statuses().values.sorted() == ["interrupted"])

    let resumed = try sweep.run(["run", "task=imdb", "preset=tiny", "seed=5"])
    #expect(resumed.status == 0)
    #expect(try sweep.statuses().values.sorted() == ["done"])
  }
}
