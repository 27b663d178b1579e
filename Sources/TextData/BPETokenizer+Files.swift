import Foundation

extension BPETokenizer {
  /// GPT-2's published tokenizer from `tokenizers/gpt2/` of a data directory.
  public static func gpt2(in data: DataDirectory) throws(TextDataError)
    -> BPETokenizer
  {
    try BPETokenizer(directory: data.url(for: .gpt2Encoder).deletingLastPathComponent())
  }

  /// The tokenizer saved in `directory` as `encoder.json` and `vocab.bpe`.
  ///
  /// - Throws: `TextDataError` naming the file, line and token at fault.
  public convenience init(directory: URL) throws(TextDataError) {
    let encoderURL = directory.appendingPathComponent("encoder.json")
    let mergesURL = directory.appendingPathComponent("vocab.bpe")
    let tokens = try EncoderFile.tokens(
      fromJSON: try readBytes(encoderURL), file: encoderURL.path)
    let (merges, lines) = try BPETokenizer.merges(
      fromText: try readBytes(mergesURL), file: mergesURL.path)
    try self.init(
      tokens: tokens, merges: merges, source: encoderURL.path,
      mergesSource: mergesURL.path, mergeLines: lines)
  }

  /// Writes `encoder.json` and `vocab.bpe` into `directory` (created when
  /// missing), in GPT-2's layout; `init(directory:)` reads them back.
  public func save(to directory: URL) throws(TextDataError) {
    let encoderURL = directory.appendingPathComponent("encoder.json")
    let mergesURL = directory.appendingPathComponent("vocab.bpe")
    var mergeText = "#version: 0.2\n"
    for merge in merges { mergeText += merge.left + " " + merge.right + "\n" }
    do {
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true)
      try Data(EncoderFile.json(tokens: tokens).utf8).write(
        to: encoderURL, options: .atomic)
      try Data(mergeText.utf8).write(to: mergesURL, options: .atomic)
    } catch {
      throw .unwritable(file: directory.path, reason: "\(error)")
    }
  }

  /// The merges of a `vocab.bpe` text and the 1-based line of each; a first
  /// line starting with `#version` and empty lines are skipped.
  static func merges(
    fromText bytes: [UInt8], file: String
  ) throws(TextDataError) -> ([Merge], [Int]) {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .invalidUTF8(file: file, line: nil)
    }
    var merges = [Merge]()
    var lines = [Int]()
    for (offset, line) in text.split(
      separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
      if line.isEmpty || (offset == 0 && line.hasPrefix("#version")) {
        continue
      }
      let parts = line.split(separator: " ", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw .malformedMerge(file: file, line: offset + 1, text: String(line))
      }
      merges.append(Merge(String(parts[0]), String(parts[1])))
      lines.append(offset + 1)
    }
    return (merges, lines)
  }
}

/// The whole contents of a file.
func readBytes(_ url: URL) throws(TextDataError) -> [UInt8] {
  do {
    return [UInt8](try Data(contentsOf: url))
  } catch {
    throw .unreadable(file: url.path, reason: describe(error))
  }
}

/// A short reason for a Foundation file error.
func describe(_ error: Error) -> String {
  let nsError = error as NSError
  if nsError.domain == NSCocoaErrorDomain, nsError.code == 260 {
    return "no such file"
  }
  return nsError.localizedDescription
}
