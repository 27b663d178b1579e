import Foundation
import Synchronization
import Testing

@testable import TextData

@Suite struct BPETokenizerTests {
  /// Ids from Hugging Face `tokenizers` 0.23.3 over GPT-2's own files.
  static let published: [(String, [Int])] = [
    ("Hello world", [15496, 995]),
    (
      "I'm sure they'll say it's fine, we've done 'd",
      [
        40, 1101, 1654, 484, 1183, 910, 340, 338, 3734, 11, 356, 1053, 1760,
        705, 67,
      ]
    ),
    ("Don'T 'S", [3987, 6, 51, 705, 50]),
    ("'sup 'll'", [338, 929, 705, 297, 6]),
    ("a  b", [64, 220, 275]),
    ("a   b\n\n c", [64, 220, 220, 275, 628, 269]),
    ("trailing   ", [9535, 4386, 220, 220, 220]),
    ("\n\n\nX", [628, 198, 55]),
    (" \t\n x", [220, 197, 198, 2124]),
    ("a\r\nb", [64, 201, 198, 65]),
    ("x\u{a0}y\u{2003} z", [87, 1849, 88, 447, 225, 1976]),
    (
      "naïve café — déjà vu",
      [2616, 38776, 40304, 851, 39073, 73, 24247, 410, 84]
    ),
    (
      "日本語のテキスト",
      [33768, 98, 17312, 105, 45739, 252, 5641, 24336, 25084, 43302]
    ),
    (
      "emoji 😀👍🏽 family 👨‍👩‍👧",
      [
        368, 31370, 30325, 222, 41840, 235, 8582, 237, 121, 1641, 50169, 101,
        447, 235, 41840, 102, 447, 235, 41840, 100,
      ]
    ),
    ("1234567 3.14 ½ ²", [10163, 2231, 3134, 513, 13, 1415, 25208, 1587, 110]),
    ("<br /><br />Hi", [27, 1671, 1220, 6927, 1671, 11037, 17250]),
    ("!!! ??", [10185, 19153]),
    ("", []),
  ]

  @Test(arguments: published)
  func encodesAsGPT2(text: String, ids: [Int]) throws {
    let gpt2 = try #require(TestData.gpt2)
    #expect(gpt2.encode(text) == ids)
    #expect(gpt2.decode(ids) == text)
  }

  @Test func encodingTwiceUsesTheCacheAndAgrees() throws {
    let gpt2 = try #require(TestData.gpt2)
    let text = "The quick brown fox jumps over the lazy dog. " + "Again! "
    #expect(gpt2.encode(text) == gpt2.encode(text))
    #expect(gpt2.decode(gpt2.encode(text)) == text)
  }

  @Test func encodesTheSameFromManyThreads() throws {
    let gpt2 = try #require(TestData.gpt2)
    let texts = try TestData.imdb.get().prefix(400).map(\.text)
    let expected = texts.map { gpt2.encode($0) }
    let results = Mutex([[Int]?](repeating: nil, count: texts.count))
    DispatchQueue.concurrentPerform(iterations: 4) { part in
      for index in stride(from: part, to: texts.count, by: 4) {
        let ids = gpt2.encode(texts[index])
        results.withLock { $0[index] = ids }
      }
    }
    #expect(results.withLock { $0 } == expected)
  }

  @Test func encodePrefixGivesTheFirstTokens() throws {
    let gpt2 = try #require(TestData.gpt2)
    let text = "Run   of spaces,\n\nnew lines and ünïcödé — \u{1F600} done."
    let all = gpt2.encode(text)
    for count in [0, 1, 3, 7, all.count, all.count + 5] {
      #expect(gpt2.encodePrefix(text, maxTokens: count) == Array(all.prefix(count)))
    }
  }

  @Test func hasGPT2sVocabulary() throws {
    let gpt2 = try #require(TestData.gpt2)
    #expect(gpt2.vocabularySize == 50_257)
    #expect(gpt2.endOfTextID == 50_256)
    #expect(gpt2.merges.count == 50_000)
    #expect(gpt2.tokens[220] == "Ġ")
    #expect(gpt2.decode([gpt2.endOfTextID]) == "<|endoftext|>")
  }

  @Test func endOfTextInTextIsOrdinaryText() throws {
    let gpt2 = try #require(TestData.gpt2)
    let ids = gpt2.encode("a<|endoftext|>")
    #expect(!ids.contains(gpt2.endOfTextID))
    #expect(gpt2.decode(ids) == "a<|endoftext|>")
  }

  @Test func decodingSplitCharacterGivesReplacement() throws {
    let gpt2 = try #require(TestData.gpt2)
    // " 😀" is several byte tokens; the first alone is cut mid-character.
    let ids = gpt2.encode(" 😀")
    #expect(ids.count > 1)
    #expect(gpt2.decode(Array(ids.prefix(1))).hasSuffix("\u{FFFD}"))
  }

  @Test func savesAndLoadsTheSameFiles() throws {
    let gpt2 = try #require(TestData.gpt2)
    let folder = try TestData.temporaryFolder()
    try gpt2.save(to: folder)
    let loaded = try BPETokenizer(directory: folder)
    #expect(loaded.tokens == gpt2.tokens)
    #expect(loaded.merges == gpt2.merges)
    #expect(loaded.contentHash == gpt2.contentHash)
    let original = TestData.directory.url(for: .gpt2Merges)
    #expect(
      try Data(contentsOf: folder.appendingPathComponent("vocab.bpe"))
        == Data(contentsOf: original))
  }
}
