import Configuration
import Foundation
import RLHF
import Testing
import TextData
import Tracking

@Suite struct TokenizerStageTests {
  /// A data directory whose `tokenizers/gpt2/` holds a small trained BPE.
  static func dataWithTokenizer() throws -> (DataDirectory, BPETokenizer) {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rlhf-tokenizer-\(UUID().uuidString)")
    let texts = ["a film so good", "a film so bad", "good and bad films"]
    let tokenizer = try BPETrainer(vocabularySize: 270).train(on: texts)
    try tokenizer.save(to: folder.appendingPathComponent("tokenizers/gpt2"))
    return (DataDirectory(url: folder), tokenizer)
  }

  @Test func theTokenizersFilesAreItsArtifactByContentHash() throws {
    let (data, saved) = try Self.dataWithTokenizer()
    defer { try? FileManager.default.removeItem(at: data.url) }
    var configuration = RunConfiguration.defaults(task: .imdb, preset: .tiny)
    configuration.model.tokenizer = .gpt2
    configuration.model.vocabSize = saved.vocabularySize

    let (tokenizer, artifact) = try TokenizerStage.load(
      for: configuration, data: data, cache: nil)

    let folder = data.url.appendingPathComponent("tokenizers/gpt2")
    let sizes = try ["encoder.json", "vocab.bpe"].map {
      try #require(
        try FileManager.default.attributesOfItem(
          atPath: folder.appendingPathComponent($0).path)[.size] as? NSNumber
      ).intValue
    }
    let record = try #require(artifact)
    #expect(record.kind == "tokenizer")
    #expect(record.contentHash == saved.contentHash)
    #expect(record.contentHash == tokenizer.contentHash)
    #expect(record.path == folder.path)
    #expect(record.bytes == sizes.reduce(0, +))
    #expect(sizes.allSatisfy { $0 > 0 })
  }
}
