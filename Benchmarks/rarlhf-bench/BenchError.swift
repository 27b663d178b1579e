/// Why a benchmark could not run.
enum BenchError: Error, CustomStringConvertible {
  /// A command-line option was malformed.
  case badOption(name: String, value: String, allowed: String)
  /// The subcommand is not one of the benchmarks.
  case unknownCommand(String, known: [String])
  /// A benchmark input (data file, store) could not be used.
  case input(what: String, reason: String)

  var description: String {
    switch self {
    case .badOption(let name, let value, let allowed):
      return "option --\(name): '\(value)' is not allowed (expected \(allowed))"
    case .unknownCommand(let name, let known):
      return "unknown benchmark '\(name)' (expected: \(known.joined(separator: ", ")))"
    case .input(let what, let reason):
      return "\(what): \(reason)"
    }
  }
}
