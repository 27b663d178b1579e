import ArgumentParsing
import Configuration
import Foundation
import Sweeps
import TextData
import Tracking

/// `rarlhf sweep run FILE`, `sweep resume SWEEP` and `sweep status`.
///
/// A sweep start records the sweep and registers every run before any
/// starts, runs exactly the runs not done (new, pending, failed,
/// interrupted, crashed), each in its own `rarlhf run --identity` process,
/// and exits 0 when all are done, 1 when any failed, and 130 or 143 when
/// stopped by SIGINT or SIGTERM.
struct SweepCommands {
  let parsed: ParsedCommand
  let console: Console

  // MARK: - sweep run

  func run() throws {
    let file = parsed.positional("FILE") ?? ""
    let overrides = parsed.overrides.map(\.description)
    let pool = try poolOptions()
    let sweep = try sweepFile(file)
    // The engine counts each task's prompts; a dry run plans without the
    // counts when the engine cannot be made (no data directory).
    let engine = Result { try RunCommand.engine(parsed) }
    var plan = try usage { () throws(SweepError) in
      try sweep.plan(overrides: overrides)
    }
    var prompts: [TaskName: Int] = [:]
    for task in Set(plan.runs.map(\.configuration.task)) {
      prompts[task] = try (try? engine.get())?.availablePrompts(for: task)
    }
    if !prompts.isEmpty {
      plan = try usage { () throws(SweepError) in
        try sweep.plan(overrides: overrides, availablePrompts: prompts)
      }
    }
    if parsed.flag("dry-run") {
      if case .failure(let error) = engine {
        console.warning(
          "the runs are planned without the data's prompt counts: \(error)")
      }
      try warnOfChangedCells(plan)
      console.result(plan.description)
      return
    }
    _ = try engine.get()

    let store = try RunCommand.openStore(parsed)
    let ledger = SweepLedger(store: store)
    let resume = try usage { () throws(SweepError) in
      try ledger.resumePlan(
        for: plan, force: parsed.flag("force"),
        staleAfter: RunLiveness.staleAfter)
    }
    let specText =
      sweep.text
      + (overrides.isEmpty
        ? "" : "\n# overrides: " + overrides.joined(separator: " ") + "\n")
    let ids = try ledger.record(
      plan, specText: specText,
      iterationsPlanned: Self.iterations(prompts))
    try ledger.unlinkSuperseded(resume, of: plan)
    try execute(plan, resume: resume, ids: ids, store: store, pool: pool)
  }

  /// The sweep file at `path`, renamed by `--name`.
  private func sweepFile(_ path: String) throws -> Sweep {
    let sweep = try usage { () throws(SweepError) in try Sweep(fileAt: path) }
    guard let name = parsed.value("name") else { return sweep }
    guard Sweep.isValidName(name) else {
      throw UsageError.invalidValue(
        option: "name", value: name, allowed: Sweep.nameRule)
    }
    return sweep.renamed(to: name)
  }

  /// For `--dry-run`: a warning when a start without `--force` would be
  /// refused for cells recorded with other settings. Reads an existing
  /// database only.
  private func warnOfChangedCells(_ plan: SweepPlan) throws {
    guard !parsed.flag("force"),
      FileManager.default.fileExists(
        atPath: DatabaseCommands.databaseURL(parsed).path)
    else { return }
    let ledger = SweepLedger(store: try DatabaseCommands.openExisting(parsed))
    let changes = try usage { () throws(SweepError) in
      try ledger.changedCells(of: plan)
    }
    guard !changes.isEmpty else { return }
    console.warning(
      "the run would be refused: "
        + SweepError.settingsChanged(sweep: plan.sweepName, changes)
        .description)
  }

  // MARK: - sweep resume

  func resume() throws {
    let name = parsed.positional("SWEEP") ?? ""
    let pool = try poolOptions()
    let engine = try RunCommand.engine(parsed)
    let database = DatabaseCommands.databaseURL(parsed)
    guard FileManager.default.fileExists(atPath: database.path) else {
      throw UsageFailure(
        description: "no database at '\(database.path)' (give --db FILE)")
    }
    let store = try RunCommand.openStore(parsed)
    let ledger = SweepLedger(store: store)
    let plan = try usage { () throws(SweepError) in
      try ledger.recordedPlan(named: name, staleAfter: RunLiveness.staleAfter)
    }
    let resume = try ledger.resumePlan(
      for: plan, force: false, staleAfter: RunLiveness.staleAfter)
    var prompts: [TaskName: Int] = [:]
    for task in Set(plan.runs.map(\.configuration.task)) {
      prompts[task] = try engine.availablePrompts(for: task)
    }
    let ids = try ledger.record(
      plan, specText: nil,
      iterationsPlanned: Self.iterations(prompts))
    try execute(plan, resume: resume, ids: ids, store: store, pool: pool)
  }

  // MARK: - sweep status

  func status() throws {
    let store = try DatabaseCommands.openExisting(parsed)
    try store.checkSound()
    let ledger = SweepLedger(store: store)
    var names = parsed.positionalList("SWEEP")
    if names.isEmpty { names = try ledger.sweepNames() }
    guard !names.isEmpty else {
      console.result("no sweeps recorded in '\(store.url.path)'")
      return
    }
    var blocks: [String] = []
    for name in names {
      let runs = try usage { () throws(SweepError) in
        try ledger.runs(
          ofSweep: name, statistic: "env/reward_mean",
          staleAfter: RunLiveness.staleAfter)
      }
      blocks.append(Self.statusTable(name, runs))
    }
    console.result(blocks.joined(separator: "\n\n"))
  }

  /// One sweep's table: run, status, iteration (recorded/planned), the
  /// latest `env/reward_mean`, and time; then each failed run's reason.
  static func statusTable(
    _ name: String, _ runs: [(run: RunRecord, latest: Double?)]
  ) -> String {
    var counts: [RunStatus: Int] = [:]
    for entry in runs { counts[entry.run.status, default: 0] += 1 }
    let summary = RunStatus.allCases.compactMap { status in
      counts[status].map { "\($0) \(status.rawValue)" }
    }.joined(separator: ", ")
    let header = ["run", "status", "iteration", "reward", "time"]
    let rows = runs.map { entry in
      let run = entry.run
      let recorded = (run.lastIteration).map { $0 + 1 } ?? 0
      let planned = run.spec.iterationsPlanned.map(String.init) ?? "?"
      let end = run.finishedAt ?? (run.status == .running ? Date() : nil)
      let time = zip2(run.startedAt, end).map {
        SweepProgress.duration($1.timeIntervalSince($0))
      }
      return [
        run.spec.name, run.status.rawValue, "\(recorded)/\(planned)",
        entry.latest.map { String(format: "%.4f", $0) } ?? "-", time ?? "-",
      ]
    }
    let widths = header.indices.map { column in
      ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    let lines = ([header] + rows).map { row in
      zip(row, widths).map { cell, width in
        cell.padding(toLength: width, withPad: " ", startingAt: 0)
      }.joined(separator: "  ").trimmingTrailingSpaces()
    }
    let reasons = runs.compactMap { entry -> String? in
      guard let error = entry.run.error,
        [.failed, .crashed, .interrupted].contains(entry.run.status)
      else { return nil }
      return "\(entry.run.status.rawValue): \(entry.run.spec.name): \(error)"
    }
    return
      (["sweep '\(name)': \(runs.count) runs (\(summary))"] + lines
      + reasons).joined(separator: "\n")
  }

  // MARK: - Running

  /// Runs the runs `resume` starts or resumes, reports each end and the
  /// progress, and ends the process as the sweep ended.
  private func execute(
    _ plan: SweepPlan, resume: ResumePlan, ids: [String: RunID], store: Store,
    pool: (jobs: Int, policy: FailurePolicy)
  ) throws {
    console.info("sweep '\(plan.sweepName)': \(resume.description)")
    let runs = resume.runsToRun
    var stageRuns = runs
    if runs.isEmpty {
      console.info("nothing to run: every run is done or running elsewhere")
      // A sweep whose runs another sweep ran still gets its base and SFT
      // rows, from its shared stages.
      guard try SweepLedger(store: store).lacksStageRuns(plan) else { return }
      console.info("linking the base and SFT evaluations of its shared stages")
      stageRuns = plan.runs
    }
    // The one store of this process: opening the file again while a
    // connection is open closes a second descriptor of it (Tracking checks
    // the file's header), and closing any descriptor drops every POSIX lock
    // the process holds on the file, SQLite's included.
    let runner = SweepRunner(
      store: store,
      settings: SweepRunner.Settings(
        executable: Self.executable,
        database: DatabaseCommands.databaseURL(parsed).absoluteURL,
        dataDirectory: parsed.value("data"), jobs: pool.jobs,
        policy: pool.policy,
        sweepName: plan.sweepName))

    let received = SignalFlag()
    let sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map {
      number, name in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(
        signal: number, queue: .global())
      source.setEventHandler {
        received.set(number)
        runner.stop(signal: number)
      }
      source.resume()
      return source
    }
    defer { sources.forEach { $0.cancel() } }

    let console = console
    let logs = runner.settings.logs.path
    var stagesFailed = false
    let summary = runner.run(runs, ids: ids, stagesOf: stageRuns) { report in
      switch report {
      case .preparingStages(let groups):
        console.info(
          "preparing shared stages: " + groups.joined(separator: ", ")
            + " (their progress is in \(logs)/NAME.log)")
      case .stagesFailed(let group, let reason, _, let tail):
        stagesFailed = true
        console.error("\(group): \(reason)")
        for line in tail { console.info("  | " + line) }
      case .started(let name):
        console.detail("started \(name)")
      case .finished(let name, let status, let reason, let log, let tail):
        switch status {
        case .done:
          console.info("done: \(name)")
        case .interrupted:
          console.info("interrupted: \(name)")
        case .running, .pending:
          console.info("\(status.rawValue): \(name): \(reason ?? "")")
        default:
          console.error(
            "\(status.rawValue): \(name): \(reason ?? "no reason recorded")")
          console.info("  last lines of \(log.path):")
          for line in tail { console.info("  | " + line) }
        }
      case .progress(let progress):
        console.progress(
          progress.line(fitting: console.isTerminal ? Self.columns : nil))
      }
    }

    if runs.isEmpty {
      if let number = received.value { exit(128 + number) }
      if stagesFailed { throw CommandError.failed("the shared stages failed") }
      return
    }
    let line =
      "sweep '\(plan.sweepName)': \(summary.done.count) done, "
      + "\(summary.failed.count) failed, \(summary.stopped.count) stopped"
      + (summary.elsewhere.isEmpty ? "" : ", \(summary.elsewhere.count) run by another process")
    console.result(line)
    if let number = received.value {
      console.error(
        "stopped by signal \(number); resume with 'rarlhf sweep resume "
          + "\(plan.sweepName)'")
      exit(128 + number)
    }
    if !summary.succeeded {
      let reasons = summary.failed.sorted { $0.key < $1.key }.map {
        "\n  \($0.key): \($0.value)"
      }
      throw CommandError.failed(
        "\(summary.failed.count + summary.stopped.count) of \(runs.count) "
          + "runs did not finish" + reasons.joined())
    }
  }

  /// `--jobs` (default: the cores) and the failure policy; both policy
  /// flags at once are a usage error.
  private func poolOptions() throws -> (jobs: Int, policy: FailurePolicy) {
    if parsed.flag("keep-going"), parsed.flag("fail-fast") {
      throw UsageError.invalidValue(
        option: "fail-fast", value: "with --keep-going",
        allowed: "one of --keep-going and --fail-fast")
    }
    let jobs =
      try parsed.integer("jobs", in: 1...1024)
      ?? ProcessInfo.processInfo.activeProcessorCount
    return (jobs, parsed.flag("fail-fast") ? .failFast : .keepGoing)
  }

  /// M of each run, when its task's prompt count is known.
  private static func iterations(
    _ prompts: [TaskName: Int]
  ) -> (PlannedRun) -> Int? {
    { run in
      prompts[run.configuration.task].map {
        run.configuration.iterations(availablePrompts: $0)
      }
    }
  }

  /// The width of the terminal on stderr, or nil when unknown.
  static var columns: Int? {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0
    else { return nil }
    return Int(size.ws_col) - 1
  }

  /// This executable, which the children run.
  static var executable: URL {
    URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  }

  /// Runs `body`, turning a sweep error into a usage failure (exit 64).
  private func usage<Result>(
    _ body: () throws(SweepError) -> Result
  ) throws -> Result {
    do {
      return try body()
    } catch {
      throw UsageFailure(description: error.description)
    }
  }
}

/// The signal that stopped a sweep, set from a signal handler's queue.
private final class SignalFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var number: Int32?

  var value: Int32? { lock.withLock { number } }

  func set(_ value: Int32) {
    lock.withLock { if number == nil { number = value } }
  }
}

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
  guard let a, let b else { return nil }
  return (a, b)
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var text = self
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
