import Foundation

/// Runs jobs in child processes, at most `width` at once, each with its
/// output appended to its own log file, so that a crash takes down only its
/// own run.
///
/// `run(_:onEvent:onTick:)` blocks the calling thread until every job has
/// finished or the pool is stopped; `stop()` may be called from any thread
/// (a signal handler's queue): it starts no more jobs and sends SIGTERM to
/// the running ones, then SIGKILL to those still alive after `killAfter`.
public final class WorkerPool: @unchecked Sendable {
  /// One child process to run.
  public struct Job: Sendable, Equatable {
    /// The run's readable name, for messages.
    public var name: String
    /// The run's identity; jobs of one `run` call have distinct ones.
    public var identity: String
    /// The child's arguments (without the executable).
    public var arguments: [String]
    /// The file the child's stdout and stderr are appended to.
    public var log: URL

    /// A job; see the properties.
    public init(name: String, identity: String, arguments: [String], log: URL) {
      self.name = name
      self.identity = identity
      self.arguments = arguments
      self.log = log
    }
  }

  /// How a job ended.
  public enum Outcome: Sendable, Equatable {
    /// The child exited with this status (0: success).
    case exited(Int32)
    /// The child was killed by this signal.
    case signalled(Int32)
    /// The child could not be started; the reason.
    case launchFailed(String)
    /// The pool was stopped before the job started.
    case notStarted

    /// Whether the child exited with status 0.
    public var succeeded: Bool { self == .exited(0) }

    /// `exited with status 1`, `killed by signal 9`, ….
    public var description: String {
      switch self {
      case .exited(let status): "exited with status \(status)"
      case .signalled(let signal): "killed by signal \(signal)"
      case .launchFailed(let reason): "could not start: \(reason)"
      case .notStarted: "not started"
      }
    }
  }

  /// What the pool reports while it runs.
  public enum Event: Sendable, Equatable {
    /// The job's child process started.
    case started(Job)
    /// The job's child process ended.
    case finished(Job, Outcome)
  }

  /// The program every job runs.
  public let executable: URL
  /// The most jobs running at once (≥ 1).
  public let width: Int
  /// What a failed job does to the others.
  public let policy: FailurePolicy
  /// Variables added to the inherited environment of every child.
  public let environment: [String: String]
  /// Seconds between SIGTERM and SIGKILL for children still alive after
  /// `stop()`.
  public let killAfter: TimeInterval

  private let lock = NSLock()
  private let wake = DispatchSemaphore(value: 0)
  private var running: [String: Process] = [:]
  private var ended: [(identity: String, outcome: Outcome)] = []
  private var stopRequested: Date?
  private var killed = false

  /// A pool of `width` workers running `executable`.
  public init(
    executable: URL, width: Int, policy: FailurePolicy = .keepGoing,
    environment: [String: String] = [:], killAfter: TimeInterval = 30
  ) {
    precondition(width >= 1, "a pool needs at least one worker")
    self.executable = executable
    self.width = width
    self.policy = policy
    self.environment = environment
    self.killAfter = killAfter
  }

  /// Whether `stop()` was called (directly, or by a failure under
  /// `.failFast`).
  public var isStopped: Bool {
    lock.withLock { stopRequested != nil }
  }

  // MARK: - Running

  /// Runs `jobs` in order, at most `width` at once, and returns each job's
  /// outcome, in the order of `jobs`.
  ///
  /// - Parameters:
  ///   - onEvent: called on the calling thread as each job starts and ends.
  ///   - onTick: called on the calling thread about every `tick` seconds
  ///     while jobs run (for progress).
  public func run(
    _ jobs: [Job], tick: TimeInterval = 1,
    onEvent: (Event) -> Void = { _ in }, onTick: () -> Void = {}
  ) -> [Outcome] {
    var outcomes: [String: Outcome] = [:]
    var waiting = jobs[...]
    var active: [String: Job] = [:]
    while true {
      while active.count < width, !isStopped, let job = waiting.first {
        waiting = waiting.dropFirst()
        switch launch(job) {
        case nil:
          active[job.identity] = job
          onEvent(.started(job))
        case let failure?:
          outcomes[job.identity] = failure
          onEvent(.finished(job, failure))
          if policy == .failFast { stop() }
        }
      }
      if active.isEmpty { break }
      if wake.wait(timeout: .now() + tick) == .timedOut {
        onTick()
        killStragglers()
        continue
      }
      let finished = lock.withLock {
        let finished = ended
        ended = []
        return finished
      }
      for (identity, outcome) in finished {
        guard let job = active.removeValue(forKey: identity) else { continue }
        outcomes[identity] = outcome
        onEvent(.finished(job, outcome))
        if !outcome.succeeded, policy == .failFast { stop() }
      }
    }
    for job in waiting {
      outcomes[job.identity] = .notStarted
    }
    return jobs.map { outcomes[$0.identity] ?? .notStarted }
  }

  /// Starts no more jobs and sends `signal` (SIGTERM, or the SIGINT the
  /// sweep got, so the children can say why they stopped) to the running
  /// children.
  public func stop(signal: Int32 = SIGTERM) {
    let children = lock.withLock {
      if stopRequested == nil { stopRequested = Date() }
      return Array(running.values)
    }
    for child in children where child.isRunning {
      kill(child.processIdentifier, signal)
    }
  }

  // MARK: - Children

  /// Starts `job`'s child; nil when it started, else why it did not.
  private func launch(_ job: Job) -> Outcome? {
    let log: FileHandle
    do {
      try FileManager.default.createDirectory(
        at: job.log.deletingLastPathComponent(),
        withIntermediateDirectories: true)
      if !FileManager.default.fileExists(atPath: job.log.path) {
        _ = FileManager.default.createFile(atPath: job.log.path, contents: nil)
      }
      log = try FileHandle(forWritingTo: job.log)
      try log.seekToEnd()
    } catch {
      return .launchFailed("cannot write log '\(job.log.path)': \(error)")
    }
    defer { try? log.close() }
    let header =
      "== \(job.name): \(ISO8601DateFormatter().string(from: Date())) "
      + "\(executable.lastPathComponent) "
      + job.arguments.joined(separator: " ") + "\n"
    log.write(Data(header.utf8))

    let process = Process()
    process.executableURL = executable
    process.arguments = job.arguments
    process.environment = ProcessInfo.processInfo.environment
      .merging(environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = log
    process.standardError = log
    let identity = job.identity
    process.terminationHandler = { [weak self] child in
      let outcome: Outcome =
        child.terminationReason == .uncaughtSignal
        ? .signalled(child.terminationStatus)
        : .exited(child.terminationStatus)
      guard let self else { return }
      self.lock.withLock {
        self.running[identity] = nil
        self.ended.append((identity, outcome))
      }
      self.wake.signal()
    }
    do {
      try lock.withLock {
        try Self.withSignalsUnblocked { try process.run() }
        running[identity] = process
      }
    } catch {
      return .launchFailed("\(executable.path): \(error)")
    }
    return nil
  }

  /// Runs `body` with no signal blocked on this thread, so that a child
  /// spawned in it starts with an empty signal mask (a spawned process
  /// inherits the mask, and threads of test runners block most signals,
  /// which would make children deaf to SIGTERM).
  private static func withSignalsUnblocked(
    _ body: () throws -> Void
  ) rethrows {
    var empty = sigset_t()
    var previous = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    try body()
  }

  /// Sends SIGKILL to children still alive `killAfter` seconds after
  /// `stop()`.
  private func killStragglers() {
    let children: [Process] = lock.withLock {
      guard let since = stopRequested, !killed,
        Date().timeIntervalSince(since) >= killAfter
      else { return [] }
      killed = true
      return Array(running.values)
    }
    for child in children where child.isRunning {
      kill(child.processIdentifier, SIGKILL)
    }
  }
}
