import Foundation

/// Downloads the public originals of the data with `curl` into a data
/// directory (`./data` by default): Stanford's `aclImdb_v1.tar.gz`,
/// RealToxicityPrompts' `prompts.jsonl` and GPT-2's `encoder.json` and
/// `vocab.bpe`. Jigsaw needs a Kaggle account and is never downloaded.
///
/// Each file is written to `NAME.part` and renamed only when `curl`
/// succeeds, so a failed download leaves nothing behind.
public struct DataFetcher: Sendable {
  /// One file to download.
  public struct Download: Sendable, Equatable {
    /// Where it is published.
    public var url: String
    /// Where it goes, relative to the data directory.
    public var destination: String

    /// A download of `url` to `destination`.
    public init(url: String, destination: String) {
      self.url = url
      self.destination = destination
    }
  }

  /// How one download went.
  public enum Outcome: Sendable, Equatable {
    /// Downloaded, with its size in bytes.
    case downloaded(bytes: Int)
    /// Already there; not downloaded again.
    case alreadyPresent
    /// Failed, with curl's exit status and message, or why curl could not
    /// run.
    case failed(reason: String)
  }

  /// What `fetch` did, file by file, with how to place failed files by hand.
  public struct Report: Sendable, CustomStringConvertible {
    /// The directory downloaded into.
    public var directory: URL
    /// Each download with its outcome, in order.
    public var results: [(download: Download, outcome: Outcome)]

    /// Whether every download succeeded or was already present.
    public var succeeded: Bool {
      results.allSatisfy {
        if case .failed = $0.outcome { return false }
        return true
      }
    }

    /// The report for the terminal: one line per file, then what to do.
    public var description: String {
      var lines = ["fetching into \(directory.path):"]
      for (download, outcome) in results {
        switch outcome {
        case .downloaded(let bytes):
          lines.append("  downloaded  \(download.destination) (\(bytes) bytes)")
        case .alreadyPresent:
          lines.append("  present     \(download.destination)")
        case .failed(let reason):
          lines.append("  FAILED      \(download.destination): \(reason)")
        }
      }
      let failed = results.filter {
        if case .failed = $0.outcome { return true }
        return false
      }
      if !failed.isEmpty {
        lines.append("place these by hand instead (download elsewhere, copy in):")
        for (download, _) in failed {
          lines.append(
            "  \(download.url)\n    -> \(directory.path)/\(download.destination)")
        }
      }
      lines.append(
        "never downloaded (Kaggle account needed): "
          + DataDirectory.help(for: [.jigsawTrain, .jigsawTest, .jigsawBalanced])
          .split(separator: "\n").dropFirst().joined(separator: ";"))
      return lines.joined(separator: "\n")
    }
  }

  /// The public originals and where they go in a data directory.
  public static let publicOriginals = [
    Download(
      url: "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
      destination: "imdb/aclImdb_v1.tar.gz"),
    Download(
      url: "https://huggingface.co/datasets/allenai/real-toxicity-prompts/"
        + "resolve/main/prompts.jsonl",
      destination: "realtoxicityprompts/prompts.jsonl"),
    Download(
      url: "https://openaipublic.blob.core.windows.net/gpt-2/models/124M/"
        + "encoder.json",
      destination: "tokenizers/gpt2/encoder.json"),
    Download(
      url: "https://openaipublic.blob.core.windows.net/gpt-2/models/124M/"
        + "vocab.bpe",
      destination: "tokenizers/gpt2/vocab.bpe"),
  ]

  /// The `curl` to run: a path, or a name looked up in `PATH`.
  public var curl: String
  /// Seconds `curl` may spend connecting before it gives up.
  public var connectTimeout: Int

  /// A fetcher that runs `curl`.
  public init(curl: String = "curl", connectTimeout: Int = 20) {
    self.curl = curl
    self.connectTimeout = connectTimeout
  }

  /// `./data` under the working directory, where downloads go by default.
  public static var defaultDirectory: URL {
    URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
      .appendingPathComponent("data")
  }

  /// Downloads each file that is not already in `directory`.
  public func fetch(
    into directory: URL = DataFetcher.defaultDirectory,
    downloads: [Download] = DataFetcher.publicOriginals
  ) -> Report {
    var report = Report(directory: directory, results: [])
    for download in downloads {
      report.results.append((download, fetch(download, into: directory)))
    }
    return report
  }

  private func fetch(_ download: Download, into directory: URL) -> Outcome {
    let destination = directory.appendingPathComponent(download.destination)
    if FileManager.default.fileExists(atPath: destination.path) {
      return .alreadyPresent
    }
    let partial = destination.appendingPathExtension("part")
    do {
      try FileManager.default.createDirectory(
        at: destination.deletingLastPathComponent(),
        withIntermediateDirectories: true)
    } catch {
      return .failed(reason: "cannot create its folder: \(describe(error))")
    }
    let (status, message) = run([
      "--fail", "--silent", "--show-error", "--location",
      "--connect-timeout", String(connectTimeout),
      "--output", partial.path, download.url,
    ])
    guard status == 0 else {
      try? FileManager.default.removeItem(at: partial)
      return .failed(reason: message)
    }
    do {
      try FileManager.default.moveItem(at: partial, to: destination)
    } catch {
      try? FileManager.default.removeItem(at: partial)
      return .failed(reason: "cannot move it into place: \(describe(error))")
    }
    let size = try? FileManager.default.attributesOfItem(
      atPath: destination.path)[.size]
    return .downloaded(bytes: (size as? NSNumber)?.intValue ?? 0)
  }

  /// Runs curl; its exit status and a one-line message on failure.
  private func run(_ arguments: [String]) -> (Int32, String) {
    let process = Process()
    if curl.contains("/") {
      process.executableURL = URL(fileURLWithPath: curl)
      process.arguments = arguments
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [curl] + arguments
    }
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      return (-1, "cannot run \(curl): \(describe(error))")
    }
    let data = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
      .replacingOccurrences(of: "\n", with: "; ")
    let status = process.terminationStatus
    if status == 127 && curl.contains("/") == false {
      return (status, "cannot run \(curl): not found in PATH")
    }
    return (status, "curl exit \(status)" + (text.isEmpty ? "" : ": \(text)"))
  }
}
