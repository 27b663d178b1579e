import Foundation

/// The folder that holds the corpora and the GPT-2 vocabulary, in the layout
/// of the shared data README:
///
///     imdb/aclImdb_labeled.tar.gz   (or imdb/aclImdb_v1.tar.gz, imdb/aclImdb/)
///     jigsaw/train.csv, jigsaw/test.csv, jigsaw/balanced_binary.csv
///     realtoxicityprompts/prompts.jsonl
///     tokenizers/gpt2/encoder.json, tokenizers/gpt2/vocab.bpe
///     SHA256SUMS                    (optional: `hex  relative/path` lines)
public struct DataDirectory: Sendable, Equatable {
  /// How a data directory was found.
  public enum Origin: String, Sendable, Equatable {
    /// Given explicitly, as `--data DIR`.
    case explicit
    /// From the environment variable `RARLHF_DATA`.
    case environment
    /// `./data` under the working directory.
    case workingDirectory
    /// `../shared/data` relative to the working directory.
    case shared
  }

  /// A file the tasks read, by role.
  /// Where preset `gpt2` reads GPT-2 124M's weights (Hugging Face's
  /// `model.safetensors`, placed by hand); no other preset needs them.
  public static let pretrainedGPT2Path = "models/gpt2/model.safetensors"

  public enum File: String, CaseIterable, Sendable {
    /// IMDB reviews: the first of `imdbCandidates` that exists.
    case imdb = "imdb/aclImdb_labeled.tar.gz"
    /// Jigsaw training comments in Kaggle's `train.csv` columns.
    case jigsawTrain = "jigsaw/train.csv"
    /// The paper's balanced 7,708-comment Jigsaw test set.
    case jigsawTest = "jigsaw/test.csv"
    /// More Jigsaw comments with a binary `toxic` label.
    case jigsawBalanced = "jigsaw/balanced_binary.csv"
    /// RealToxicityPrompts records.
    case realToxicityPrompts = "realtoxicityprompts/prompts.jsonl"
    /// GPT-2's vocabulary.
    case gpt2Encoder = "tokenizers/gpt2/encoder.json"
    /// GPT-2's merges.
    case gpt2Merges = "tokenizers/gpt2/vocab.bpe"

    /// The files a task reads (the GPT-2 vocabulary included).
    public static func needed(by task: TaskName) -> [File] {
      let tokenizer: [File] = [.gpt2Encoder, .gpt2Merges]
      switch task {
      case .imdb: return [.imdb] + tokenizer
      case .jigsaw:
        return [.jigsawTrain, .jigsawTest, .jigsawBalanced] + tokenizer
      case .realtoxicityprompts: return [.realToxicityPrompts] + tokenizer
      }
    }

    /// Where to get the file when it is missing.
    public var howToGet: String {
      switch self {
      case .imdb:
        "Stanford's aclImdb_v1.tar.gz "
          + "(https://ai.stanford.edu/~amaas/data/sentiment/) saved as "
          + "imdb/aclImdb_v1.tar.gz, or its aclImdb/ folder as imdb/aclImdb/"
      case .jigsawTrain:
        "Kaggle's jigsaw-toxic-comment-classification-challenge train.csv "
          + "(needs a Kaggle account) saved as jigsaw/train.csv"
      case .jigsawTest:
        "the balanced test.csv published with the RA-RLHF code "
          + "(SapanaChaudhary/RA-RLHF) saved as jigsaw/test.csv"
      case .jigsawBalanced:
        "a balanced binary Jigsaw split (comment_text, toxic) saved as "
          + "jigsaw/balanced_binary.csv"
      case .realToxicityPrompts:
        "allenai/real-toxicity-prompts prompts.jsonl saved as "
          + "realtoxicityprompts/prompts.jsonl"
      case .gpt2Encoder, .gpt2Merges:
        "OpenAI's GPT-2 encoder.json and vocab.bpe (models/124M) saved in "
          + "tokenizers/gpt2/"
      }
    }
  }

  /// Paths tried for the IMDB reviews, in order: the shared archive,
  /// Stanford's original, an unpacked folder.
  public static let imdbCandidates = [
    "imdb/aclImdb_labeled.tar.gz", "imdb/aclImdb_v1.tar.gz", "imdb/aclImdb",
  ]

  /// The folder.
  public let url: URL
  /// How it was found.
  public let origin: Origin

  /// A data directory at `url`, taken as is.
  public init(url: URL, origin: Origin = .explicit) {
    self.url = url.standardizedFileURL
    self.origin = origin
  }

  /// Finds the data directory: `explicit` (from `--data DIR`) when given,
  /// else `$RARLHF_DATA` when set, else `./data`, else `../shared/data`.
  ///
  /// - Parameters:
  ///   - explicit: the `--data` argument, or nil.
  ///   - environment: the process environment.
  ///   - workingDirectory: where `./data` and `../shared/data` are resolved.
  /// - Throws: `TextDataError.noDataDirectory` listing what was tried; an
  ///   explicit or environment path that is not a folder is an error, not a
  ///   reason to look further.
  public static func resolve(
    explicit: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    workingDirectory: URL = URL(
      fileURLWithPath: FileManager.default.currentDirectoryPath)
  ) throws(TextDataError) -> DataDirectory {
    func folder(_ path: String) -> URL {
      path.hasPrefix("/")
        ? URL(fileURLWithPath: path)
        : workingDirectory.appendingPathComponent(path)
    }
    if let explicit {
      let url = folder(explicit)
      guard isDirectory(url) else {
        throw .noDataDirectory(tried: ["--data \(url.path)"])
      }
      return DataDirectory(url: url, origin: .explicit)
    }
    if let path = environment["RARLHF_DATA"], !path.isEmpty {
      let url = folder(path)
      guard isDirectory(url) else {
        throw .noDataDirectory(tried: ["$RARLHF_DATA=\(url.path)"])
      }
      return DataDirectory(url: url, origin: .environment)
    }
    let local = folder("data")
    if isDirectory(local) {
      return DataDirectory(url: local, origin: .workingDirectory)
    }
    let shared = folder("../shared/data")
    if isDirectory(shared) {
      return DataDirectory(url: shared, origin: .shared)
    }
    throw .noDataDirectory(tried: [
      "--data (not given)", "$RARLHF_DATA (not set)",
      local.standardizedFileURL.path, shared.standardizedFileURL.path,
    ])
  }

  /// Where `file` is (or would be) in this directory; for `.imdb`, the first
  /// of `imdbCandidates` that exists, else the first candidate.
  public func url(for file: File) -> URL {
    if file == .imdb {
      for candidate in DataDirectory.imdbCandidates {
        let url = url.appendingPathComponent(candidate)
        if FileManager.default.fileExists(atPath: url.path) { return url }
      }
    }
    return url.appendingPathComponent(file.rawValue)
  }

  /// Whether `file` is present.
  public func has(_ file: File) -> Bool {
    FileManager.default.fileExists(atPath: url(for: file).path)
  }

  /// Throws when a file `task` reads is missing, listing every missing file
  /// and where to get it.
  public func requireFiles(for task: TaskName) throws(TextDataError) {
    let missing = File.needed(by: task).filter { !has($0) }
    guard !missing.isEmpty else { return }
    throw .missingFiles(
      directory: url.path, files: missing.map(\.rawValue),
      help: DataDirectory.help(for: missing))
  }

  /// Lines that say where each file comes from.
  static func help(for files: [File]) -> String {
    var seen = Set<String>()
    var lines = ["get them with `rarlhf data fetch` where possible, or place:"]
    for file in files where seen.insert(file.howToGet).inserted {
      lines.append("  \(file.rawValue): \(file.howToGet)")
    }
    return lines.joined(separator: "\n")
  }
}

/// Whether `url` is an existing folder.
func isDirectory(_ url: URL) -> Bool {
  var folder: ObjCBool = false
  return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder)
    && folder.boolValue
}
