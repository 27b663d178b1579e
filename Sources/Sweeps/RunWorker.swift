import Configuration
import Foundation
import Tracking

/// Executes one registered run inside its own process: moves it to
/// `running`, sends heartbeats while the engine works, and records how it
/// ended (`done`, or `failed` with the error text). `stop(_:exitStatus:)`
/// records `interrupted` and ends the process when it is asked to stop.
public final class RunWorker: @unchecked Sendable {
  /// The store the run is registered in.
  public let store: Store
  /// The run's id.
  public let run: RunID
  /// The run's stored record when the worker was made.
  public let record: RunRecord
  /// The run's configuration, read back from its stored JSON.
  public let configuration: RunConfiguration
  /// Seconds between heartbeats while the engine works.
  public let heartbeatInterval: TimeInterval

  private let lock = NSLock()
  private var heartbeat: DispatchSourceTimer?
  /// `runs.started_at` as this worker set it: the run is this process's
  /// while it is `running` with this start.
  private var startedAt: String?

  /// The worker of the run registered with `identity`.
  ///
  /// - Throws: `SweepError.unknownRun`, `.unreadableRecordedRun`, `.store`.
  public init(
    store: Store, identity: String, heartbeatInterval: TimeInterval = 30
  ) throws(SweepError) {
    let found: RunRecord?
    do {
      found = try store.run(identity: identity)
    } catch {
      throw .store(error)
    }
    guard let found else { throw .unknownRun(identity: identity) }
    do {
      configuration = try RunConfiguration(
        canonicalJSON: found.spec.configJSON)
    } catch {
      throw .unreadableRecordedRun(name: found.spec.name, error)
    }
    self.store = store
    run = found.id
    record = found
    self.heartbeatInterval = heartbeatInterval
  }

  /// Runs the engine on the run and records the outcome: `done`, or
  /// `failed` with the engine's error text (then rethrown).
  ///
  /// A `running` run is refused unless its heartbeat is older than
  /// `staleAfter` seconds (then it is marked crashed and run again); a done
  /// run is refused. The engine continues a resumed run from its newest
  /// checkpoint (`RunEngine.execute`).
  ///
  /// - Throws: `SweepError.alreadyDone`, `.runningElsewhere`, `.store`, or
  ///   the engine's error.
  public func execute(
    with engine: some RunEngine, staleAfter: TimeInterval,
    progress: @escaping @Sendable (String) -> Void = { _ in }
  ) throws {
    let name = record.spec.name
    let current = try store.run(run, staleAfter: staleAfter)
    switch current?.status {
    case .done?: throw SweepError.alreadyDone(name: name)
    case .running?:
      let heartbeat = current?.heartbeatAt.map { "\($0)" } ?? "none"
      throw SweepError.runningElsewhere(name: name, heartbeat: heartbeat)
    case .crashed? where record.status == .running:
      try store.markStaleRunsCrashed(staleAfter: staleAfter)
    default: break
    }

    do {
      try store.setStatus(.running, of: run)
    } catch {
      // Another process started or finished it since it was read.
      guard case .invalidTransition(_, let from, _) = error else { throw error }
      if from == .done { throw SweepError.alreadyDone(name: name) }
      throw SweepError.runningElsewhere(name: name, heartbeat: "just now")
    }
    let started = try store.rows(
      "SELECT started_at FROM runs WHERE id = ?", [run.sqlValue]
    ).first?.get("started_at", as: String?.self)
    lock.withLock { startedAt = started }
    startHeartbeat()
    defer { stopHeartbeat() }
    do {
      try engine.execute(
        configuration, as: run, in: store, progress: progress)
    } catch {
      stopHeartbeat()
      try? store.setStatus(.failed, of: run, error: "\(error)")
      throw error
    }
    stopHeartbeat()
    try store.setStatus(.done, of: run)
  }

  /// Records the run as `interrupted` with `reason` if this process still
  /// runs it, then ends the process with `exitStatus`; safe to call from
  /// any thread. Both happen under the store's lock, so the engine records
  /// nothing after the run is marked.
  public func stop(_ reason: String, exitStatus: Int32) -> Never {
    stopHeartbeat()
    let started = lock.withLock { startedAt }
    let now = StoreTime.text(Date())
    _ = try? store.withConnection { connection throws(TrackingError) in
      if let started {
        try connection.transaction(.immediate) { () throws(TrackingError) in
          try connection.cachedStatement(
            """
            UPDATE runs SET status = 'interrupted', error = ?, finished_at = ?
            WHERE id = ? AND status = 'running' AND started_at = ?
            """
          ).run([.text(reason), .text(now), run.sqlValue, .text(started)])
        }
      }
      exit(exitStatus)
    }
    exit(exitStatus)
  }

  // MARK: - Internal

  private func startHeartbeat() {
    let timer = DispatchSource.makeTimerSource(
      queue: DispatchQueue(label: "rarlhf.heartbeat"))
    timer.schedule(
      deadline: .now() + heartbeatInterval, repeating: heartbeatInterval)
    let store = store
    let run = run
    timer.setEventHandler { try? store.heartbeat(of: run) }
    timer.resume()
    lock.withLock { heartbeat = timer }
  }

  private func stopHeartbeat() {
    let timer = lock.withLock {
      let timer = heartbeat
      heartbeat = nil
      return timer
    }
    timer?.cancel()
  }
}
