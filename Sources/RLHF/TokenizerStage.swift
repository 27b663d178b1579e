import Checksums
import Configuration
import Foundation
import TextData
import Tracking

/// The tokenizer stage: GPT-2's released BPE (`model.tokenizer = gpt2`), or
/// a byte-level BPE of exactly `model.vocab_size` tokens trained on the
/// task's training-side texts (`bpe`), cached by the SHA-256 of its
/// settings and texts.
public enum TokenizerStage {
  /// The tokenizer of a configured run and the artifact its files make:
  /// kind `tokenizer`, the folder holding `encoder.json` and `vocab.bpe`,
  /// their bytes together, and the tokenizer's content hash (of its
  /// vocabulary and merges). The artifact is nil for a tokenizer trained
  /// without a cache, which has no files.
  ///
  /// - Parameters:
  ///   - configuration: `model.tokenizer`, `model.vocab_size`, `task` and
  ///     `data.corpus_texts` (texts used for training, all when nil).
  ///   - data: the data directory.
  ///   - cache: where a trained tokenizer is kept; nil to always train.
  /// - Throws: `TextDataError` from the loaders and trainer; for `gpt2`,
  ///   `RLHFError.invalidParameter` unless `model.vocab_size` is 50,257.
  public static func load(
    for configuration: RunConfiguration, data: DataDirectory, cache: StageCache?
  ) throws -> (tokenizer: BPETokenizer, artifact: ArtifactRecord?) {
    let vocabulary = configuration.model.vocabSize
    switch configuration.model.tokenizer {
    case .gpt2:
      let tokenizer = try BPETokenizer.gpt2(in: data)
      guard tokenizer.vocabularySize == vocabulary else {
        throw RLHFError.invalidParameter(
          name: "model.vocab_size", value: Double(vocabulary),
          allowed: "\(tokenizer.vocabularySize) with the GPT-2 tokenizer")
      }
      let folder = data.url(for: .gpt2Encoder).deletingLastPathComponent()
      return (tokenizer, artifact(of: tokenizer, in: folder))
    case .bpe:
      let texts = try trainingTexts(
        task: configuration.task, data: data, cap: configuration.data.corpusTexts)
      let hasher = SHA256()
      hasher.update("bpe|\(configuration.task.rawValue)|\(vocabulary)|")
      for text in texts { hasher.update(text + "\u{1F}") }
      let key = hasher.finishHex()
      guard let cache else {
        return (try BPETrainer(vocabularySize: vocabulary).train(on: texts), nil)
      }
      let folder = cache.directory.appendingPathComponent("tokenizer-\(key.prefix(16))")
      if FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("vocab.bpe").path)
      {
        let tokenizer = try BPETokenizer(directory: folder)
        return (tokenizer, artifact(of: tokenizer, in: folder))
      }
      let tokenizer = try BPETrainer(vocabularySize: vocabulary).train(on: texts)
      try cache.write(to: folder) { try tokenizer.save(to: $0) }
      return (tokenizer, artifact(of: tokenizer, in: folder))
    }
  }

  /// The artifact of the tokenizer saved in `folder`.
  private static func artifact(of tokenizer: BPETokenizer, in folder: URL) -> ArtifactRecord {
    let bytes = ["encoder.json", "vocab.bpe"].reduce(0) { total, name in
      let path = folder.appendingPathComponent(name).path
      let size = (try? FileManager.default.attributesOfItem(atPath: path))
        .flatMap { ($0[.size] as? NSNumber)?.intValue }
      return total + (size ?? 0)
    }
    return ArtifactRecord(
      kind: "tokenizer", contentHash: tokenizer.contentHash, path: folder.path, bytes: bytes)
  }

  /// The training-side texts of `task`, in file order, at most `cap`:
  /// IMDB train reviews (`<br />` as spaces), Jigsaw train and balanced
  /// comments, RealToxicityPrompts prompt + continuation.
  public static func trainingTexts(
    task: TaskName, data: DataDirectory, cap: Int?
  ) throws -> [String] {
    let texts: [String]
    switch task {
    case .imdb:
      texts = try IMDBLoader.reviews(in: data).filter { $0.split == .train }
        .map { $0.text.replacingOccurrences(of: "<br />", with: " ") }
    case .jigsaw:
      texts =
        try JigsawLoader.comments(in: data, source: .train).map(\.text)
        + JigsawLoader.comments(in: data, source: .balanced).map(\.text)
    case .realtoxicityprompts:
      texts = try RealToxicityPromptsLoader.records(in: data).map {
        $0.prompt.text + $0.continuation.text
      }
    }
    return Array(texts.prefix(cap ?? texts.count))
  }
}
