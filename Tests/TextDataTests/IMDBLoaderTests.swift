import Foundation
import Testing

@testable import TextData

@Suite struct IMDBLoaderTests {
  @Test func readsTheWholeLabeledArchive() throws {
    let reviews = try TestData.imdb.get()
    #expect(reviews.count == 50_000)
    for split in IMDBReview.Split.allCases {
      for label in IMDBReview.Label.allCases {
        let count = reviews.count { $0.split == split && $0.label == label }
        #expect(count == 12_500, "\(split) \(label)")
      }
    }
    #expect(Set(reviews.map(\.key)).count == 50_000)
    let ratingsAgree = reviews.allSatisfy {
      $0.label == .positive ? $0.rating >= 7 : $0.rating <= 4
    }
    #expect(ratingsAgree)
    #expect(!reviews.contains { $0.text.contains("<br />") })
    #expect(reviews.first?.key == "train/neg/0")
  }

  @Test func gpt2RoundTripsEveryReview() throws {
    let gpt2 = try #require(TestData.gpt2)
    let reviews = try TestData.imdb.get()
    let failures = reviews.filter { gpt2.decode(gpt2.encode($0.text)) != $0.text }
    #expect(failures.map(\.key) == [])
  }

  @Test func replacesBreakTagsBySpaces() {
    let bytes = Array("a<br /><br />b <br/> <b".utf8)
    let replaced = String(decoding: IMDBLoader.replacingBreaks(bytes), as: UTF8.self)
    #expect(replaced == "a  b <br/> <b")
  }
}
