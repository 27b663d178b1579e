/// Why a command failed while running (exit status 1).
///
/// Usage errors (exit status 64) are `UsageError`s from ArgumentParsing;
/// errors of the modules are shown with their own descriptions.
enum CommandError: Error, CustomStringConvertible {
  /// The command needs a part of rarlhf that this build does not have yet.
  case notAvailable(command: String, reason: String)
  /// A failure with a message that says what went wrong.
  case failed(String)

  var description: String {
    switch self {
    case .notAvailable(let command, let reason):
      "'rarlhf \(command)' is not available in this build: \(reason)"
    case .failed(let message): message
    }
  }
}
