import Foundation
import Sweeps
import Testing

@Suite struct WorkerPoolTests {
  static func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("pool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    return folder
  }

  static func job(_ name: String, _ script: String, in folder: URL)
    -> WorkerPool.Job
  {
    WorkerPool.Job(
      name: name, identity: name, arguments: ["-c", script],
      log: folder.appendingPathComponent("logs/\(name).log"))
  }

  static let shell = URL(fileURLWithPath: "/bin/sh")

  @Test func eachJobEndsWithItsOwnStatusAndWritesItsOwnLog() throws {
    let folder = try Self.folder()
    let pool = WorkerPool(executable: Self.shell, width: 2)
    var events: [WorkerPool.Event] = []
    let outcomes = pool.run(
      [
        Self.job("ok", "echo fine", in: folder),
        Self.job("fails", "echo broken >&2; exit 3", in: folder),
        Self.job("killed", "kill -9 $$", in: folder),
      ], onEvent: { events.append($0) })
    #expect(outcomes == [.exited(0), .exited(3), .signalled(9)])
    #expect(events.count == 6)
    let lines = LogTail.lines(
      of: folder.appendingPathComponent("logs/fails.log"), count: 1)
    #expect(lines == ["broken"])
  }

  @Test func atMostWidthJobsRunAtOnce() throws {
    let folder = try Self.folder()
    let pool = WorkerPool(executable: Self.shell, width: 2)
    var running = 0
    var most = 0
    let jobs = (0..<5).map { Self.job("j\($0)", "sleep 0.05", in: folder) }
    let outcomes = pool.run(
      jobs,
      onEvent: { event in
        switch event {
        case .started: running += 1
        case .finished: running -= 1
        }
        most = max(most, running)
      })
    #expect(outcomes.allSatisfy { $0.succeeded })
    #expect(most == 2)
  }

  @Test func failFastStopsTheOthersAndStartsNoMore() throws {
    let folder = try Self.folder()
    let pool = WorkerPool(
      executable: Self.shell, width: 2, policy: .failFast)
    let outcomes = pool.run([
      Self.job("fails", "exit 1", in: folder),
      Self.job("long", "exec sleep 30", in: folder),
      Self.job("later", "echo never", in: folder),
    ])
    #expect(outcomes == [.exited(1), .signalled(SIGTERM), .notStarted])
    #expect(pool.isStopped)
  }

  @Test func keepGoingRunsEveryJobPastAFailure() throws {
    let folder = try Self.folder()
    let pool = WorkerPool(executable: Self.shell, width: 1)
    let outcomes = pool.run([
      Self.job("fails", "exit 1", in: folder),
      Self.job("after", "exit 0", in: folder),
    ])
    #expect(outcomes == [.exited(1), .exited(0)])
  }

  @Test func aMissingExecutableIsALaunchFailure() throws {
    let folder = try Self.folder()
    let pool = WorkerPool(
      executable: folder.appendingPathComponent("absent"), width: 1)
    let outcomes = pool.run([Self.job("x", "true", in: folder)])
    guard case .launchFailed(let reason) = outcomes.first else {
      Issue.record("expected a launch failure, got \(outcomes)")
      return
    }
    #expect(reason.contains("absent"))
  }
}
