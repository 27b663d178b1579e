import Foundation
import Tracking

/// Everything that can go wrong while building or writing a report.
///
/// Each case carries the offending value and, where there is a fixed set of
/// allowed values, says what is allowed.
public enum ReportError: Error, Equatable, CustomStringConvertible {
  /// A table format name that is not `md`, `tex` or `csv`.
  case unknownTableFormat(String)
  /// A plot format name that is not `pdf`, `svg` or `png`.
  case unknownPlotFormat(String)
  /// An `algorithm` value in the store outside the four known algorithms.
  case unknownAlgorithm(String, runID: Int64)
  /// No sweep name was given.
  case noSweeps
  /// A sweep name that the store does not know.
  case unknownSweep(String)
  /// The named sweeps have no run with status `done`.
  case noFinishedRuns(sweeps: [String])
  /// One run carries the same metric in several evaluation sets.
  case ambiguousMetric(String, runID: Int64, evalSets: [String])
  /// The gnuplot program was not found on `PATH` or at the given path.
  case gnuplotNotFound(String)
  /// gnuplot exited with a non-zero status; `message` is its own stderr.
  case gnuplotFailed(figure: String, status: Int32, message: String)
  /// No font file for the family could be found for embedding in SVG.
  case fontNotFound(family: String)
  /// A run's `config_json` that is not a flat JSON object of scalars.
  case invalidConfiguration(runID: Int64, reason: String)
  /// A file or directory could not be written.
  case cannotWrite(path: String, reason: String)
  /// Reading the tracking store failed; the store's error says why.
  case store(TrackingError)

  /// A one-line message naming the value and what is allowed.
  public var description: String {
    switch self {
    case .unknownTableFormat(let name):
      return "unknown table format '\(name)' (expected: md, tex, csv)"
    case .unknownPlotFormat(let name):
      return "unknown plot format '\(name)' (expected: pdf, svg, png)"
    case .unknownAlgorithm(let name, let runID):
      return "run \(runID): unknown algorithm '\(name)' "
        + "(expected: base, sft, rlhf, ra-rlhf)"
    case .noSweeps:
      return "no sweep named (a report needs at least one sweep name)"
    case .unknownSweep(let name):
      return "unknown sweep '\(name)' (not in the store)"
    case .noFinishedRuns(let sweeps):
      return "no finished runs in sweep(s) \(sweeps.joined(separator: ", ")) "
        + "(a report needs at least one run with status 'done')"
    case .ambiguousMetric(let metric, let runID, let evalSets):
      return "run \(runID): metric '\(metric)' appears in several "
        + "evaluation sets (\(evalSets.joined(separator: ", "))); "
        + "expected it in exactly one"
    case .gnuplotNotFound(let path):
      return "gnuplot not found ('\(path)'); install gnuplot (Debian: "
        + "gnuplot-nox) or put it on PATH"
    case .gnuplotFailed(let figure, let status, let message):
      return "gnuplot failed on figure '\(figure)' (exit status \(status)): "
        + message.trimmingCharacters(in: .whitespacesAndNewlines)
    case .fontNotFound(let family):
      return "no font file found for family '\(family)' (fc-match found "
        + "none); install it or choose another family"
    case .invalidConfiguration(let runID, let reason):
      return "run \(runID): \(reason) (expected a flat object such as "
        + "{\"ppo.learning_rate\":1e-05,\"seed\":1})"
    case .cannotWrite(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    case .store(let error):
      return "tracking store: \(error)"
    }
  }
}
