import Checksums
import Foundation

/// What a data directory holds: for each expected file whether it is there,
/// its size, SHA-256 (compared with `SHA256SUMS` when present) and record
/// counts; and what is missing, with where to get it.
public struct DataCheck: Sendable, CustomStringConvertible {
  /// One expected file.
  public struct Entry: Sendable, Equatable {
    /// The role of the file.
    public var file: DataDirectory.File
    /// Path relative to the data directory (for IMDB, the candidate found).
    public var path: String
    /// Whether it exists.
    public var present: Bool
    /// Size in bytes (nil for a folder or a missing file).
    public var bytes: Int?
    /// Hex SHA-256 of the contents (nil for a folder or a missing file).
    public var sha256: String?
    /// The checksum `SHA256SUMS` lists for the path, if any.
    public var expectedSHA256: String?
    /// What its records count: `50,000 reviews (12,500 per split and
    /// class)`; nil when not counted.
    public var records: String?
    /// Why the file could not be read or counted, if it could not.
    public var problem: String?

    /// Whether the checksum agrees with `SHA256SUMS`; nil when either is
    /// unknown.
    public var checksumMatches: Bool? {
      guard let sha256, let expectedSHA256 else { return nil }
      return sha256 == expectedSHA256
    }
  }

  /// The directory checked.
  public let directory: DataDirectory
  /// One entry per expected file, in `DataDirectory.File.allCases` order.
  public let entries: [Entry]
  /// Whether a `SHA256SUMS` file was found.
  public let hasChecksumList: Bool
  /// The size of GPT-2 124M's weights (`DataDirectory.pretrainedGPT2Path`),
  /// nil when the file is not there; optional, so never part of
  /// `isHealthy`.
  public let pretrainedGPT2Bytes: Int?

  /// The expected files that are missing.
  public var missing: [DataDirectory.File] {
    entries.filter { !$0.present }.map(\.file)
  }

  /// Whether every file is present, readable and matches its checksum.
  public var isHealthy: Bool {
    entries.allSatisfy {
      $0.present && $0.problem == nil && $0.checksumMatches != false
    }
  }

  /// Tasks whose files are all present, readable and match their
  /// checksums.
  public var readyTasks: [TaskName] {
    let sound = Set(
      entries.filter { $0.present && $0.problem == nil && $0.checksumMatches != false }
        .map(\.file))
    return TaskName.allCases.filter { task in
      DataDirectory.File.needed(by: task).allSatisfy(sound.contains)
    }
  }

  /// A report for the terminal: one line per file, then what is missing.
  public var description: String {
    var lines = ["data directory: \(directory.url.path) (\(directory.origin.rawValue))"]
    for entry in entries {
      guard entry.present else {
        lines.append("  missing  \(entry.path)")
        continue
      }
      let bad = entry.problem != nil || entry.checksumMatches == false
      var line = (bad ? "  BAD      " : "  ok       ") + entry.path
      if let bytes = entry.bytes { line += "  \(bytes) bytes" }
      if let records = entry.records { line += "  \(records)" }
      if let sha256 = entry.sha256 {
        switch entry.checksumMatches {
        case true?: line += "  sha256 \(sha256.prefix(12))… matches SHA256SUMS"
        case false?:
          line += "  sha256 \(sha256) differs from SHA256SUMS's "
          line += entry.expectedSHA256 ?? ""
        case nil: line += "  sha256 \(sha256)"
        }
      }
      if let problem = entry.problem { line += "  error: \(problem)" }
      lines.append(line)
    }
    let weights = DataDirectory.pretrainedGPT2Path
    if let bytes = pretrainedGPT2Bytes {
      lines.append("  ok       \(weights)  \(bytes) bytes (read by preset=gpt2 only)")
    } else {
      lines.append(
        "  optional \(weights) is not there: preset=gpt2 needs it (Hugging Face's "
          + "gpt2 model.safetensors, placed by hand); the other presets do not")
    }
    if !hasChecksumList { lines.append("  (no SHA256SUMS to compare with)") }
    let ready = readyTasks.map(\.rawValue)
    lines.append("tasks ready: " + (ready.isEmpty ? "none" : ready.joined(separator: ", ")))
    if !missing.isEmpty {
      lines.append(DataDirectory.help(for: missing))
    }
    return lines.joined(separator: "\n")
  }
}

extension DataDirectory {
  /// Checks every expected file: presence, size, SHA-256 against
  /// `SHA256SUMS`, and (when `countRecords`) record and class counts by
  /// reading it with its loader. Never throws: problems are in the report.
  public func check(countRecords: Bool = true) -> DataCheck {
    let sums = checksumList()
    var entries = [DataCheck.Entry]()
    for file in File.allCases {
      let fileURL = url(for: file)
      let path = String(fileURL.path.dropFirst(url.path.count + 1))
      var entry = DataCheck.Entry(
        file: file, path: path,
        present: FileManager.default.fileExists(atPath: fileURL.path),
        expectedSHA256: sums?[path])
      if entry.present && !isDirectory(fileURL) {
        let attributes = try? FileManager.default.attributesOfItem(
          atPath: fileURL.path)
        entry.bytes = (attributes?[.size] as? NSNumber)?.intValue
        do {
          entry.sha256 = try SHA256.hex(ofFileAt: fileURL)
        } catch {
          entry.problem = error.description
        }
      }
      if entry.present && countRecords && entry.problem == nil {
        do {
          entry.records = try recordSummary(file, at: fileURL)
        } catch {
          entry.problem = error.description
        }
      }
      entries.append(entry)
    }
    let weights = url.appendingPathComponent(Self.pretrainedGPT2Path)
    let weightBytes = (try? FileManager.default.attributesOfItem(atPath: weights.path))
      .flatMap { ($0[.size] as? NSNumber)?.intValue }
    return DataCheck(
      directory: self, entries: entries, hasChecksumList: sums != nil,
      pretrainedGPT2Bytes: isDirectory(weights) ? nil : weightBytes)
  }

  /// `SHA256SUMS` as path → hex digest, or nil when there is none.
  func checksumList() -> [String: String]? {
    let listURL = url.appendingPathComponent("SHA256SUMS")
    guard let bytes = try? readBytes(listURL) else { return nil }
    var sums = [String: String]()
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      guard parts.count == 2 else { continue }
      var path = parts[1].trimmingCharacters(in: .whitespaces)
      if path.hasPrefix("*") { path.removeFirst() }  // binary-mode marker
      sums[path] = String(parts[0])
    }
    return sums
  }

  private func recordSummary(
    _ file: File, at fileURL: URL
  ) throws(TextDataError) -> String {
    switch file {
    case .imdb:
      var counts = [String: Int]()
      var total = 0
      try IMDBLoader.forEachReview(at: fileURL) { review in
        counts["\(review.split.rawValue)/\(review.label.rawValue)", default: 0] += 1
        total += 1
      }
      let parts = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
      return "\(total) reviews (\(parts.joined(separator: ", ")))"
    case .jigsawTrain, .jigsawTest, .jigsawBalanced:
      let source: JigsawComment.Source =
        file == .jigsawTrain ? .train : file == .jigsawTest ? .test : .balanced
      var total = 0
      var toxic = 0
      try JigsawLoader.forEachComment(at: fileURL, source: source) {
        total += 1
        if $0.isToxic { toxic += 1 }
      }
      return "\(total) comments (\(toxic) toxic)"
    case .realToxicityPrompts:
      var total = 0
      var challenging = 0
      var toxic = 0
      try RealToxicityPromptsLoader.forEachRecord(at: fileURL) {
        total += 1
        if $0.challenging { challenging += 1 }
        if $0.prompt.isToxic == true { toxic += 1 }
      }
      return "\(total) records (\(challenging) challenging, \(toxic) toxic prompts)"
    case .gpt2Encoder:
      let tokens = try EncoderFile.tokens(
        fromJSON: readBytes(fileURL), file: fileURL.path)
      return "\(tokens.count) tokens"
    case .gpt2Merges:
      let (merges, _) = try BPETokenizer.merges(
        fromText: readBytes(fileURL), file: fileURL.path)
      return "\(merges.count) merges"
    }
  }
}
