import Foundation

/// Where the tool writes: results on stdout, diagnostics on stderr.
///
/// stdout carries only results (tables, paths written), so it can be piped.
/// Diagnostics carry `warning:` or `error:` prefixes. Progress goes to stderr:
/// a live line rewritten in place when stderr is a terminal, plain lines at
/// most every `plainInterval` seconds otherwise.
final class Console: @unchecked Sendable {
  /// How much the tool says on stderr.
  enum Verbosity: Int, Comparable {
    case quiet, normal, verbose
    static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
  }

  let verbosity: Verbosity
  /// Whether stderr is a terminal, so progress may be redrawn in place.
  let isTerminal: Bool
  private let lock = NSLock()
  private var liveLineShown = false
  private var lastPlainProgress = Date.distantPast
  private let plainInterval: TimeInterval = 10

  init(verbosity: Verbosity) {
    self.verbosity = verbosity
    self.isTerminal = isatty(STDERR_FILENO) == 1
  }

  /// Writes a result line to stdout.
  func result(_ line: String) {
    locked {
      clearLiveLine()
      FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
  }

  /// Writes an informational line to stderr unless quiet.
  func info(_ line: String) {
    guard verbosity >= .normal else { return }
    diagnostic(line)
  }

  /// Writes a detail line to stderr only when verbose.
  func detail(_ line: String) {
    guard verbosity >= .verbose else { return }
    diagnostic(line)
  }

  /// Writes `warning: …` to stderr unless quiet.
  func warning(_ message: String) {
    guard verbosity >= .normal else { return }
    diagnostic("warning: " + message)
  }

  /// Writes `error: …` to stderr, always.
  func error(_ message: String) {
    diagnostic("error: " + message)
  }

  /// Shows a progress line: redrawn in place on a terminal, otherwise
  /// printed at most every ten seconds (and always when `force` is set).
  func progress(_ line: String, force: Bool = false) {
    guard verbosity >= .normal else { return }
    locked {
      if isTerminal {
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
        liveLineShown = true
      } else if force || Date().timeIntervalSince(lastPlainProgress) >= plainInterval {
        lastPlainProgress = Date()
        FileHandle.standardError.write(Data((line + "\n").utf8))
      }
    }
  }

  private func diagnostic(_ line: String) {
    locked {
      clearLiveLine()
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
  }

  private func clearLiveLine() {
    if liveLineShown {
      FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
      liveLineShown = false
    }
  }

  private func locked(_ body: () -> Void) {
    lock.lock()
    defer { lock.unlock() }
    body()
  }
}
