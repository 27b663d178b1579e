import Configuration
import Foundation
import Tracking

/// Runs the runs of a sweep start: first the shared stages of each task
/// and preset, one child process per group, so runs do not race to train
/// them; then every run in its own child process (`rarlhf run --identity`)
/// in a `WorkerPool`. After each child ends, the run's stored status is
/// checked: a child that died without recording its end is recorded as
/// crashed (killed by a signal), failed (a non-zero exit) or interrupted
/// (stopped by the sweep).
public final class SweepRunner: @unchecked Sendable {
  /// Where the children come from and how many run at once.
  public struct Settings: Sendable {
    /// The `rarlhf` executable the children run.
    public var executable: URL
    /// The tracking database.
    public var database: URL
    /// The data directory passed to the children, if given.
    public var dataDirectory: String?
    /// The most runs at once (≥ 1).
    public var jobs: Int
    /// What a failed run does to the others.
    public var policy: FailurePolicy
    /// Variables added to the children's environment.
    public var environment: [String: String]
    /// The sweep the base and SFT evaluation runs are linked to, if any.
    public var sweepName: String?

    /// Settings; see the properties.
    public init(
      executable: URL, database: URL, dataDirectory: String?, jobs: Int,
      policy: FailurePolicy, environment: [String: String] = [:],
      sweepName: String? = nil
    ) {
      self.sweepName = sweepName
      self.executable = executable
      self.database = database
      self.dataDirectory = dataDirectory
      self.jobs = jobs
      self.policy = policy
      self.environment = environment
    }

    /// The folder of the per-run logs: `logs/` next to the database.
    public var logs: URL {
      database.deletingLastPathComponent().appendingPathComponent("logs")
    }
  }

  /// What the runner reports as it goes.
  public enum Report: Sendable {
    /// Shared stages are being prepared for these groups.
    case preparingStages([String])
    /// A group's shared stages failed; its runs are not started.
    case stagesFailed(group: String, reason: String, log: URL, tail: [String])
    /// A run's process started.
    case started(name: String)
    /// A run ended with this status; `reason` for failed, crashed and
    /// interrupted runs, with the last lines of its log.
    case finished(
      name: String, status: RunStatus, reason: String?, log: URL,
      tail: [String])
    /// The counts, about every second.
    case progress(SweepProgress)
  }

  /// How a sweep start ended.
  public struct Summary: Sendable, Equatable {
    /// Names of the runs that are done.
    public var done: [String] = []
    /// Names and reasons of the runs that failed or crashed, or whose
    /// shared stages failed.
    public var failed: [String: String] = [:]
    /// Names of the runs interrupted or not started because the sweep was
    /// stopped.
    public var stopped: [String] = []
    /// Names of the runs another process was running (another sweep of
    /// the same runs): neither done here nor a failure.
    public var elsewhere: [String] = []

    /// Whether every run is done.
    public var succeeded: Bool { failed.isEmpty && stopped.isEmpty }
  }

  /// The exit status of a run process that found its run done or running
  /// in another process and left it alone (sysexits' EX_TEMPFAIL).
  public static let leftToAnotherProcess: Int32 = 75

  /// The lines of a log shown for a failed run.
  public static let tailLines = 10

  /// The store the runs are registered in.
  public let store: Store
  /// The settings.
  public let settings: Settings

  private let lock = NSLock()
  private var pool: WorkerPool?
  private var stopped = false
  private var stopSignal: Int32?

  /// A runner over `store`.
  public init(store: Store, settings: Settings) {
    self.store = store
    self.settings = settings
  }

  /// Whether `stop()` was called.
  public var isStopped: Bool { lock.withLock { stopped } }

  /// Stops the sweep: no more children start, and the running ones get
  /// `signal`, SIGTERM or SIGINT (their runs are recorded as interrupted,
  /// with the signal). Safe from any thread.
  public func stop(signal: Int32 = SIGTERM) {
    let current = lock.withLock {
      stopped = true
      if stopSignal == nil { stopSignal = signal }
      return pool
    }
    current?.stop(signal: signal)
  }

  // MARK: - Running

  /// Prepares the shared stages of `stageRuns` (default `runs`), then runs
  /// `runs` (registered, with their ids in `ids`) in the pool; blocks until
  /// they end or the sweep stops.
  public func run(
    _ runs: [PlannedRun], ids: [String: RunID], stagesOf stageRuns: [PlannedRun]? = nil,
    report: (Report) -> Void
  ) -> Summary {
    var summary = Summary()
    let blocked = prepareStages(for: stageRuns ?? runs, ids: ids, report: report)
    for run in runs {
      guard let reason = blocked[run.identity] else { continue }
      if isStopped {
        summary.stopped.append(run.name)
      } else {
        summary.failed[run.name] = reason
      }
    }
    let runnable = runs.filter { blocked[$0.identity] == nil && ids[$0.identity] != nil }
    let jobs = runnable.map { run in
      WorkerPool.Job(
        name: run.name, identity: run.identity,
        arguments: arguments(for: run.identity),
        log: settings.logs.appendingPathComponent(run.name + ".log"))
    }
    let pool = makePool(width: settings.jobs, policy: settings.policy)
    let start = Date()
    var progress = SweepProgress(pending: jobs.count)
    var active: [String: PlannedRun] = [:]
    let byIdentity = Dictionary(
      runnable.map { ($0.identity, $0) }, uniquingKeysWith: { a, _ in a })
    let outcomes = pool.run(
      jobs,
      onEvent: { event in
        switch event {
        case .started(let job):
          active[job.identity] = byIdentity[job.identity]
          progress.pending -= 1
          report(.started(name: job.name))
        case .finished(let job, let outcome):
          if active.removeValue(forKey: job.identity) == nil {
            progress.pending -= 1
          }
          guard let id = ids[job.identity] else { return }
          let (status, reason) = settle(
            id, outcome: outcome, stopping: pool.isStopped)
          switch status {
          case .done:
            progress.done += 1
            summary.done.append(job.name)
          case .interrupted, .pending, .running:
            if outcome == .exited(Self.leftToAnotherProcess) {
              summary.elsewhere.append(job.name)
            } else {
              summary.stopped.append(job.name)
            }
          case .failed, .crashed:
            progress.failed += 1
            summary.failed[job.name] = reason ?? outcome.description
          }
          report(
            .finished(
              name: job.name, status: status, reason: reason, log: job.log,
              tail: status == .done
                ? [] : LogTail.lines(of: job.log, count: Self.tailLines)))
        }
      },
      onTick: {
        progress.elapsed = Date().timeIntervalSince(start)
        progress.running = active.values.sorted { $0.name < $1.name }.map {
          run in
          let record = ids[run.identity].flatMap { try? store.run($0) }
          return SweepProgress.Running(
            name: run.name,
            iterations: (record?.lastIteration).map { $0 + 1 } ?? 0,
            planned: record?.spec.iterationsPlanned)
        }
        report(.progress(progress))
      })
    for (job, outcome) in zip(jobs, outcomes) where outcome == .notStarted {
      summary.stopped.append(job.name)
    }
    return summary
  }

  // MARK: - Stages

  /// Runs one child per group of runs sharing their stages (task, preset,
  /// `model.*`, `data.*`, `base.*`, `sft.*`, `reward.*`) with
  /// `--stages-only`; returns, by identity, why runs of failed groups
  /// cannot start.
  func prepareStages(
    for runs: [PlannedRun], ids: [String: RunID], report: (Report) -> Void
  ) -> [String: String] {
    var groups: [String: [PlannedRun]] = [:]
    var order: [String] = []
    for run in runs where ids[run.identity] != nil {
      let key = Self.stageGroup(of: run.configuration)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(run)
    }
    guard !order.isEmpty, !isStopped else { return [:] }
    let jobs = order.compactMap { key -> WorkerPool.Job? in
      guard let first = groups[key]?.first else { return nil }
      let label =
        "stages-\(first.configuration.task.rawValue)-"
        + "\(first.configuration.preset.rawValue)-"
        + String(first.identity.prefix(8))
      return WorkerPool.Job(
        name: label, identity: first.identity,
        arguments: arguments(for: first.identity) + ["--stages-only"]
          + (settings.sweepName.map { ["--sweep", $0] } ?? []),
        log: settings.logs.appendingPathComponent(label + ".log"))
    }
    report(.preparingStages(jobs.map(\.name)))
    let pool = makePool(width: settings.jobs, policy: .keepGoing)
    let outcomes = pool.run(jobs)
    var blocked: [String: String] = [:]
    for (index, outcome) in outcomes.enumerated() where !outcome.succeeded {
      let job = jobs[index]
      let stopped = outcome == .notStarted || pool.isStopped
      let reason =
        stopped
        ? "not started: the sweep was stopped"
        : "shared stages \(outcome.description) (log \(job.log.path))"
      if !stopped {
        report(
          .stagesFailed(
            group: job.name, reason: reason, log: job.log,
            tail: LogTail.lines(of: job.log, count: Self.tailLines)))
      }
      for run in groups[order[index]] ?? [] { blocked[run.identity] = reason }
    }
    return blocked
  }

  /// The text that runs sharing shared stages have in common.
  static func stageGroup(of configuration: RunConfiguration) -> String {
    let prefixes = ["model.", "data.", "base.", "sft.", "reward."]
    let parts = configuration.keys.filter { key in
      key.name == "task" || key.name == "preset"
        || prefixes.contains { key.name.hasPrefix($0) }
    }.map { "\($0.name)=\($0.value(in: configuration))" }
    return parts.joined(separator: ";")
  }

  // MARK: - Children

  private func arguments(for identity: String) -> [String] {
    ["run", "--db", settings.database.path, "--identity", identity]
      + (settings.dataDirectory.map { ["--data", $0] } ?? [])
  }

  private func makePool(width: Int, policy: FailurePolicy) -> WorkerPool {
    var environment = ["RARLHF_PARENT_PID": "\(getpid())"]
    // Each child gets its share of the cores for BLAS, unless told.
    if ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil {
      let cores = ProcessInfo.processInfo.activeProcessorCount
      environment["OPENBLAS_NUM_THREADS"] = "\(max(1, cores / max(1, width)))"
    }
    let pool = WorkerPool(
      executable: settings.executable, width: max(1, width), policy: policy,
      environment: settings.environment.merging(environment) { $1 })
    let signal = lock.withLock {
      self.pool = pool
      return stopped ? stopSignal ?? SIGTERM : nil
    }
    if let signal { pool.stop(signal: signal) }
    return pool
  }

  /// The run's final status, recording one for a child that ended without
  /// doing so.
  private func settle(
    _ run: RunID, outcome: WorkerPool.Outcome, stopping: Bool
  ) -> (RunStatus, String?) {
    guard let record = try? store.run(run) else {
      return (.failed, "the run's record cannot be read")
    }
    guard record.status == .running || record.status == .pending else {
      return (record.status, record.error)
    }
    if outcome == .exited(Self.leftToAnotherProcess) {
      return (record.status, "left to another process that runs it")
    }
    let status: RunStatus
    let reason: String
    switch outcome {
    case .signalled(let signal) where !stopping:
      status = .crashed
      reason = "the run's process was killed by signal \(signal)"
    case _ where stopping:
      status = .interrupted
      reason = "stopped with the sweep (\(outcome.description))"
    default:
      status = .failed
      reason =
        "the run's process \(outcome.description) without recording "
        + "its end"
    }
    if record.status == .running {
      try? store.setStatus(status, of: run, error: reason)
      return (status, reason)
    }
    return (.failed, reason)
  }
}
