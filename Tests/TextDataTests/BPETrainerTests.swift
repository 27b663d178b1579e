import Foundation
import Testing

@testable import TextData

@Suite struct BPETrainerTests {
  @Test func mergesTheMostFrequentPairFirst() throws {
    // Words: "ab", " ab" twice, " abc": a+b 4 times, then Ġ+ab 3 times,
    // then Ġab+c once.
    let tokenizer = try BPETrainer(vocabularySize: 260).train(on: ["ab ab ab abc"])
    #expect(
      tokenizer.merges == [.init("a", "b"), .init("Ġ", "ab"), .init("Ġab", "c")])
    #expect(tokenizer.tokens[256...] == ["ab", "Ġab", "Ġabc", "<|endoftext|>"])
    #expect(tokenizer.encode("ab abc") == [256, 258])
    #expect(tokenizer.encode("ab c") == [256, 220, 66])
  }

  @Test func breaksTiesBySmallerTokenIDs() throws {
    // Every pair occurs once; x (87) < z (89) < Ġ (220).
    let tokenizer = try BPETrainer(vocabularySize: 260).train(on: ["xy zw"])
    #expect(
      tokenizer.merges == [.init("x", "y"), .init("z", "w"), .init("Ġ", "zw")])
  }

  @Test(arguments: [300, 512])
  func reachesTheExactVocabularySize(size: Int) throws {
    let reviews = try TestData.imdb.get().prefix(300).map(\.text)
    let tokenizer = try BPETrainer(vocabularySize: size).train(on: reviews)
    #expect(tokenizer.vocabularySize == size)
    #expect(tokenizer.endOfTextID == size - 1)
    #expect(tokenizer.tokens.last == "<|endoftext|>")
    #expect(Set(tokenizer.tokens).count == size)
    let text = "Unseen: Ωmega 😀 and\n\n  spaces"
    #expect(tokenizer.decode(tokenizer.encode(text)) == text)
    #expect(tokenizer.encode(text).allSatisfy { $0 < size - 1 })
  }

  /// A tokenizer trained on 1,000 IMDB reviews gives back every byte of
  /// 5,000 reviews: the 1,000 it saw and 4,000 it did not.
  @Test func roundTripsTheCorpusItWasTrainedOnAndUnseenReviews() throws {
    let reviews = try TestData.imdb.get().prefix(5000).map(\.text)
    let tokenizer = try BPETrainer(vocabularySize: 1024).train(on: reviews.prefix(1000))
    var bytes = 0
    var tokens = 0
    for review in reviews {
      let ids = tokenizer.encode(review)
      #expect(tokenizer.decode(ids) == review)
      bytes += review.utf8.count
      tokens += ids.count
    }
    // Merges compress: 1,024 tokens give about 0.37 tokens per byte here
    // (bytes alone would be 1).
    #expect(Double(tokens) < 0.4 * Double(bytes))
  }

  @Test func isDeterministicAndIndependentOfCorpusOrder() throws {
    let reviews = try TestData.imdb.get().prefix(200).map(\.text)
    let trainer = try BPETrainer(vocabularySize: 400)
    let first = try trainer.train(on: reviews)
    let again = try trainer.train(on: reviews.reversed())
    #expect(first.merges == again.merges)
    #expect(first.contentHash == again.contentHash)
  }

  @Test func savesAndLoadsInGPT2sFormat() throws {
    let reviews = try TestData.imdb.get().prefix(100).map(\.text)
    let tokenizer = try BPETrainer(vocabularySize: 320).train(on: reviews)
    let folder = try TestData.temporaryFolder()
    try tokenizer.save(to: folder)
    let loaded = try BPETokenizer(directory: folder)
    #expect(loaded.tokens == tokenizer.tokens)
    #expect(loaded.merges == tokenizer.merges)
    let text = reviews[0]
    #expect(loaded.encode(text) == tokenizer.encode(text))
    #expect(loaded.encode(text).count < text.utf8.count)
  }

  @Test func tooSmallACorpusIsAnError() throws {
    #expect(
      throws: TextDataError.corpusTooSmall(vocabularySize: 300, reached: 259)
    ) {
      try BPETrainer(vocabularySize: 300).train(on: ["abc"])
    }
  }

  @Test func tooSmallAVocabularyIsAnError() {
    #expect(throws: TextDataError.invalidVocabularySize(257, minimum: 258)) {
      try BPETrainer(vocabularySize: 257)
    }
  }
}
