import ArgumentParsing
import Configuration
import Foundation
import Sweeps
import TextData
import Tracking

/// `rarlhf run`: one configuration, given as `key=value` words (registered
/// without a sweep) or, as sweeps start their runs, as `--identity HEX` of
/// a registered run whose stored configuration is read back.
///
/// The run is recorded `running` with heartbeats, then `done` or `failed`
/// with the error; SIGINT and SIGTERM (and the end of the sweep process
/// that started it) record it `interrupted` and exit with 130 or 143.
struct RunCommand {
  let parsed: ParsedCommand
  let console: Console

  func run() throws {
    let engine = try Self.engine(parsed)
    if let given = parsed.value("identity"),
      !FileManager.default.fileExists(
        atPath: DatabaseCommands.databaseURL(parsed).path)
    {
      // No database registers no run: refused before one is created.
      throw UsageFailure(
        description: SweepError.unknownRun(identity: given).description)
    }
    let store = try Self.openStore(parsed)
    let identity: String
    if let given = parsed.value("identity") {
      if let first = parsed.overrides.first {
        throw UsageError.invalidValue(
          option: "identity", value: given,
          allowed: "no key=value words with it (got '\(first)')")
      }
      identity = given
    } else {
      identity = try register(in: store, engine: engine)
    }
    let worker = try Self.worker(of: identity, in: store)
    let name = worker.record.spec.name
    if parsed.flag("stages-only") {
      try prepareStages(of: worker, in: store, engine: engine)
      return
    }
    if worker.record.status == .done, parsed.value("identity") == nil {
      console.result("\(name): already done")
      return
    }

    let child = Self.sweepProcess != nil
    let stopSources = Self.exitOnStop { [console] reason, status in
      // A sweep says this for its runs; a run of its own says it here.
      if !child {
        console.error(
          "\(name) was \(reason) and is recorded as interrupted; run the same "
            + "command again to resume it")
      }
      worker.stop(reason, exitStatus: status)
    }
    defer { stopSources.forEach { $0.cancel() } }
    let console = console
    do {
      try worker.execute(with: engine, staleAfter: RunLiveness.staleAfter) {
        console.info("\(name): \($0)")
      }
    } catch let error as SweepError {
      switch error {
      case .alreadyDone, .runningElsewhere:
        // A sweep's child leaves the run alone and says so by its status.
        console.error(error.description)
        exit(SweepRunner.leftToAnotherProcess)
      default: throw error
      }
    }
    console.result("\(name): done")
  }

  /// `--stages-only`: the shared stages of the worker's run. The base and
  /// SFT evaluation runs the engine records meanwhile get heartbeats, and
  /// are recorded interrupted if this process is stopped.
  private func prepareStages(
    of worker: RunWorker, in store: Store, engine: any RunEngine
  ) throws {
    let ledger = SweepLedger(store: store)
    let start = Date()
    let sources = Self.exitOnStop { reason, status in
      ledger.interruptStageRuns(startedSince: start, reason: reason)
      exit(status)
    }
    let beat = DispatchSource.makeTimerSource(queue: .global())
    beat.schedule(
      deadline: .now() + Self.heartbeatInterval,
      repeating: Self.heartbeatInterval)
    beat.setEventHandler { ledger.heartbeatStageRuns(startedSince: start) }
    beat.resume()
    defer { (sources + [beat]).forEach { $0.cancel() } }

    let sweep = try parsed.value("sweep").flatMap { try ledger.sweepID(named: $0) }
    let console = console
    try engine.prepareStages(
      for: worker.configuration, in: store, sweep: sweep
    ) { console.info($0) }
    console.info("shared stages of \(worker.record.spec.name) ready")
  }

  /// Resolves the `key=value` words, registers the run (no sweep) and
  /// returns its identity; bad settings are usage failures (exit 64).
  private func register(
    in store: Store, engine: any RunEngine
  ) throws -> String {
    guard !parsed.overrides.isEmpty else {
      throw UsageError.missingArgument(
        "key=value settings (at least task=...), or --identity HEX")
    }
    do {
      let assignments = try parsed.overrides.map {
        try ConfigurationAssignment(override: $0.description)
      }
      let unchecked = try RunConfiguration.resolve(assignments)
      let prompts = try engine.availablePrompts(for: unchecked.task)
      let configuration = try RunConfiguration.resolve(
        assignments, availablePrompts: prompts)
      try store.register(
        configuration.runSpec(
          iterationsPlanned: prompts.map {
            configuration.iterations(availablePrompts: $0)
          }))
      return configuration.identity
    } catch let error as ConfigurationError {
      throw UsageFailure(description: "\(error)")
    }
  }

  // MARK: - Shared with the sweep commands

  /// The worker of the run `identity`; an identity the store does not hold
  /// is bad input (`UsageFailure`, exit 64).
  ///
  /// Kept out of `run()`: a `catch` of one case of the typed error there
  /// crashed the Swift 6.3 compiler's release (-O) build.
  private static func worker(of identity: String, in store: Store) throws -> RunWorker {
    do {
      return try RunWorker(
        store: store, identity: identity, heartbeatInterval: heartbeatInterval)
    } catch {
      if case .unknownRun = error { throw UsageFailure(description: error.description) }
      throw error
    }
  }

  /// The sweep process that started this run, from `RARLHF_PARENT_PID`;
  /// nil for a run started by hand.
  static var sweepProcess: Int32? {
    ProcessInfo.processInfo.environment["RARLHF_PARENT_PID"].flatMap { Int32($0) }
  }

  /// The engine runs execute on: `SimulatedEngine` when
  /// `RARLHF_ENGINE=simulated` (for tests of the pool), else the RLHF engine
  /// on the data directory (`--data`, `$RARLHF_DATA`, `./data`,
  /// `../shared/data`) with its stage cache in `cache/` next to the
  /// database. No data directory is a `UsageFailure` (exit 64).
  static func engine(_ parsed: ParsedCommand) throws -> any RunEngine {
    let environment = ProcessInfo.processInfo.environment
    if environment["RARLHF_ENGINE"] == "simulated" {
      return SimulatedEngine(environment: environment)
    }
    let data = try DataCommands.directory(parsed)
    let cache = DatabaseCommands.databaseURL(parsed).absoluteURL
      .deletingLastPathComponent().appendingPathComponent("cache")
    return RLHFEngine(data: data, cacheDirectory: cache)
  }

  /// Opens (creating it and its folder when missing) the database named by
  /// `--db`, default `runs/rarlhf.sqlite`, and checks every page of it
  /// before anything is written (a sweep's children leave that to their
  /// sweep, which checked it).
  static func openStore(_ parsed: ParsedCommand) throws -> Store {
    let url = DatabaseCommands.databaseURL(parsed)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let store = try Store(at: url)
    if sweepProcess == nil { try store.checkSound() }
    return store
  }

  /// Seconds between heartbeats: `RARLHF_HEARTBEAT_SECONDS`, default 30.
  static var heartbeatInterval: TimeInterval {
    ProcessInfo.processInfo.environment["RARLHF_HEARTBEAT_SECONDS"]
      .flatMap(Double.init) ?? 30
  }

  /// Calls `stop` with the reason and the exit status (128 + signal), which
  /// ends the process, on SIGINT or SIGTERM, or when the sweep process that
  /// started this one (`RARLHF_PARENT_PID`) is gone (then as for SIGTERM;
  /// at once when it is gone already); returns the sources to keep alive.
  private static func exitOnStop(
    _ stop: @escaping @Sendable (String, Int32) -> Never
  ) -> [any DispatchSourceProtocol] {
    let queue = DispatchQueue(label: "rarlhf.stop")
    var sources: [any DispatchSourceProtocol] = []
    let parent = sweepProcess
    // A sweep forwards the SIGINT of a Ctrl-C to its runs.
    let interrupt = parent == nil ? "SIGINT (Ctrl-C)" : "SIGINT (Ctrl-C) of the sweep"
    for (number, name) in [(SIGINT, interrupt), (SIGTERM, "SIGTERM")] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { stop("stopped by \(name)", 128 + number) }
      source.resume()
      sources.append(source)
    }
    if let parent {
      guard getppid() == parent else {
        stop("stopped: the sweep process ended", 128 + SIGTERM)
      }
      let timer = DispatchSource.makeTimerSource(queue: queue)
      timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
      timer.setEventHandler {
        guard getppid() != parent else { return }
        stop("stopped: the sweep process ended", 128 + SIGTERM)
      }
      timer.resume()
      sources.append(timer)
    }
    return sources
  }
}
