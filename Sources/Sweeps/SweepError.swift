import ArgumentParsing
import Configuration
import Tracking
import YAML

/// Why a sweep file was refused, before any run started.
///
/// Every description starts with the position in the sweep file
/// (`experiments/x.yaml:12:5: …`) when there is one.
public enum SweepError: Error, Equatable, CustomStringConvertible {
  /// The file is not valid YAML, or a value has the wrong YAML shape.
  case yaml(YAMLError)
  /// A configuration key, value or combination is refused.
  case configuration(ConfigurationError)
  /// A field the sweep format does not have, with the fields allowed there.
  case unknownField(String, allowed: [String], at: YAMLMark)
  /// A configuration key written at the top level instead of under
  /// `parameters`.
  case keyOutsideParameters(String, at: YAMLMark)
  /// A required field is absent.
  case missingField(String, allowed: String, at: YAMLMark)
  /// A field's value is not allowed.
  case invalidField(String, got: String, allowed: String, at: YAMLMark)
  /// A parameter is not `{values: [...]}`, `{value: ...}` or
  /// `{distribution: ..., min: ..., max: ...}`.
  case malformedParameter(String, got: String, at: YAMLMark)
  /// A parameter's `values` list is empty.
  case emptyValues(String, at: YAMLMark)
  /// A parameter's `values` list repeats a value.
  case repeatedValue(String, value: String, first: YAMLMark, at: YAMLMark)
  /// A key set in two places (top level and `parameters`).
  case setTwice(String, first: YAMLMark, at: YAMLMark)
  /// A `risk.*` parameter in a sweep with no RA-RLHF run.
  case riskKeyWithoutRiskRuns(String, at: YAMLMark)
  /// An `exclude` entry that matches no run of the grid.
  case excludeMatchesNothing(at: YAMLMark)
  /// Nothing left to run.
  case emptyGrid(reason: String, at: YAMLMark)
  /// Runs recorded for the sweep had other settings in the same cells;
  /// each change names the old and new run and the keys that differ.
  case settingsChanged(sweep: String, [ResumePlan.Change])
  /// A recorded run's configuration JSON cannot be read back.
  case unreadableRecordedRun(name: String, ConfigurationError)
  /// A recorded run's configuration reads back to another identity: it was
  /// recorded by a version with other keys or defaults.
  case recordedRunChanged(name: String, recorded: String, now: String)
  /// `count` is larger than the number of configurations to sample from.
  case countExceedsGrid(count: Int, configurations: Int, at: YAMLMark)
  /// The tracking store refused a read or write.
  case store(TrackingError)
  /// No sweep of this name is recorded; the names that are.
  case unknownSweep(String, known: [String])
  /// `SimulatedEngine`'s forced failure of a run at this iteration.
  case simulatedDivergence(iteration: Int)
  /// A run that is done, asked to run again.
  case alreadyDone(name: String)
  /// A run whose process is alive elsewhere (a fresh heartbeat).
  case runningElsewhere(name: String, heartbeat: String)
  /// No run with this identity is registered.
  case unknownRun(identity: String)
  /// A run process could not be started.
  case launchFailed(executable: String, reason: String)

  /// The message, starting with `file:line:column:` when positioned.
  public var description: String {
    switch self {
    case .yaml(let error): "\(error)"
    case .configuration(let error): "\(error)"
    case .unknownField(let name, let allowed, let at):
      "\(at): unknown field '\(name)'"
        + (Spelling.closest(to: name, among: allowed).map {
          " (did you mean '\($0)'?)"
        }
          ?? " (allowed: \(allowed.joined(separator: ", ")))")
    case .keyOutsideParameters(let key, let at):
      "\(at): configuration key '\(key)' belongs under 'parameters' "
        + "(as '\(key): {value: …}')"
    case .missingField(let name, let allowed, let at):
      "\(at): field '\(name)' is required (allowed: \(allowed))"
    case .invalidField(let name, let got, let allowed, let at):
      "\(at): field '\(name)' got \(got) (allowed: \(allowed))"
    case .malformedParameter(let key, let got, let at):
      "\(at): parameter '\(key)' must be a mapping with 'values: [...]', 'value: ...' "
        + "or 'distribution: ..., min: ..., max: ...', got \(got)"
    case .emptyValues(let key, let at):
      "\(at): empty grid: parameter '\(key)' has no values"
    case .repeatedValue(let key, let value, let first, let at):
      "\(at): parameter '\(key)' lists \(value) twice (first at line \(first.line), "
        + "column \(first.column))"
    case .setTwice(let key, let first, let at):
      "\(at): '\(key)' is already set at line \(first.line), column \(first.column)"
    case .riskKeyWithoutRiskRuns(let key, let at):
      "\(at): parameter '\(key)' applies only to ra-rlhf runs, and this sweep has none "
        + "(add ra-rlhf to 'algorithm')"
    case .excludeMatchesNothing(let at):
      "\(at): exclude entry matches no run of the grid"
    case .emptyGrid(let reason, let at):
      "\(at): empty grid: \(reason)"
    case .settingsChanged(let sweep, let changes):
      Self.describeChanges(sweep: sweep, changes)
    case .unreadableRecordedRun(let name, let error):
      "recorded run '\(name)': \(error)"
    case .recordedRunChanged(let name, let recorded, let now):
      "recorded run '\(name)' has identity \(recorded.prefix(12))… but its configuration "
        + "now reads as \(now.prefix(12))… (recorded by a version with other keys or "
        + "defaults; run its sweep file again instead)"
    case .countExceedsGrid(let count, let configurations, let at):
      "\(at): field 'count' got \(count) (allowed: at most the \(configurations) "
        + "configurations of the grid)"
    case .store(let error): "\(error)"
    case .unknownSweep(let name, let known):
      "no sweep named '\(name)' is recorded"
        + (Spelling.closest(to: name, among: known).map {
          " (did you mean '\($0)'?)"
        }
          ?? (known.isEmpty
            ? " (the store has no sweeps)"
            : " (recorded: \(known.joined(separator: ", ")))"))
    case .simulatedDivergence(let iteration):
      "non-finite policy loss (nan) at iteration \(iteration) (simulated "
        + "failure: RARLHF_SIMULATED_FAIL_SEED)"
    case .alreadyDone(let name):
      "run '\(name)' is done; a done run is never run again"
    case .runningElsewhere(let name, let heartbeat):
      "run '\(name)' is running in another process (heartbeat \(heartbeat)); "
        + "it counts as crashed only after its heartbeat is stale"
    case .unknownRun(let identity):
      "no run with identity '\(identity)' is registered (allowed: the 64 hex "
        + "digits of a registered run; see 'rarlhf sweep status')"
    case .launchFailed(let executable, let reason):
      "cannot start '\(executable)': \(reason)"
    }
  }

  /// The cells shown as examples in a refusal of changed settings.
  static let exampleCells = 3
  /// The differing keys shown for each example cell.
  static let exampleKeys = 4

  /// `sweep 'x' was run before with other settings in 9 cells, e.g.:`, up
  /// to `exampleCells` cells with their differing keys (old → new), and
  /// the two ways on.
  private static func describeChanges(
    sweep: String, _ changes: [ResumePlan.Change]
  ) -> String {
    let cells = changes.count == 1 ? "1 cell" : "\(changes.count) cells"
    var lines = ["sweep '\(sweep)' was run before with other settings in \(cells):"]
    for change in changes.prefix(exampleCells) {
      lines.append("  \(change.planned.name): \(keys(of: change))")
    }
    if changes.count > exampleCells {
      lines.append("  … and \(changes.count - exampleCells) more")
    }
    lines.append(
      "to keep both, record these settings as another sweep with "
        + "'--name NAME'; to run them in '\(sweep)', add '--force' (the old "
        + "runs stay recorded)")
    return lines.joined(separator: "\n")
  }

  /// `preset: small → tiny, ppo.learning_rate: … (and 12 more keys)`.
  private static func keys(of change: ResumePlan.Change) -> String {
    guard !change.differences.isEmpty else {
      return "no setting differs; the configuration format changed"
    }
    // A preset sets many keys; naming it first explains the rest.
    let ordered =
      change.differences.filter { $0.key == "preset" }
      + change.differences.filter { $0.key != "preset" }
    let shown = ordered.prefix(exampleKeys).map {
      "\($0.key): \($0.old?.description ?? "-") → \($0.new?.description ?? "-")"
    }
    let rest = ordered.count - shown.count
    return shown.joined(separator: ", ")
      + (rest > 0 ? " (and \(rest) more \(rest == 1 ? "key" : "keys"))" : "")
  }
}
