import Foundation
import Testing

@testable import TextData

@Suite struct ArchiveTests {
  static let reviews: [(name: String, contents: [UInt8])] = [
    ("aclImdb/train/pos/3_9.txt", Array("Great.<br /><br />Loved it".utf8)),
    ("aclImdb/train/neg/1_2.txt", Array("Dull".utf8)),
    ("aclImdb/test/pos/0_10.txt", Array("Fine film".utf8)),
    ("aclImdb/train/unsup/5_0.txt", Array("unlabeled".utf8)),
    ("aclImdb/imdb.vocab", Array("the\nand\n".utf8)),
  ]

  @Test func readsReviewsFromAGzippedTar() throws {
    let url = try TestData.file(
      "small.tar.gz", TestArchive.gzip(TestArchive.tar(Self.reviews)))
    let reviews = try IMDBLoader.reviews(at: url)
    #expect(reviews.map(\.key) == ["train/neg/1", "train/pos/3", "test/pos/0"])
    #expect(reviews[1].rating == 9)
    #expect(reviews[1].text == "Great.  Loved it")
  }

  @Test func readsReviewsFromAFolder() throws {
    let folder = try TestData.temporaryFolder()
    for (name, contents) in Self.reviews {
      let url = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(contents).write(to: url)
    }
    let fromFolder = try IMDBLoader.reviews(at: folder)
    let archive = try TestData.file(
      "small.tar.gz", TestArchive.gzip(TestArchive.tar(Self.reviews)))
    #expect(fromFolder == (try IMDBLoader.reviews(at: archive)))
  }

  @Test func readsConcatenatedGzipMembers() throws {
    let tar = TestArchive.tar(Self.reviews)
    let half = tar.count / 2
    let url = try TestData.file(
      "two.tar.gz",
      TestArchive.gzip(Array(tar[..<half])) + TestArchive.gzip(Array(tar[half...])))
    #expect(try IMDBLoader.reviews(at: url).count == 3)
  }

  @Test func emptyArchiveIsAnError() throws {
    let url = try TestData.file("empty.tar.gz", TestArchive.gzip(TestArchive.tar([])))
    #expect(throws: TextDataError.emptyArchive(file: url.path)) {
      try IMDBLoader.reviews(at: url)
    }
    let zeroBytes = try TestData.file("zero.tar.gz", [UInt8]())
    #expect(throws: TextDataError.emptyArchive(file: zeroBytes.path)) {
      try IMDBLoader.reviews(at: zeroBytes)
    }
  }

  @Test func truncatedGzipIsAnError() throws {
    let whole = TestArchive.gzip(TestArchive.tar(Self.reviews))
    let url = try TestData.file("cut.tar.gz", Array(whole[..<(whole.count - 700)]))
    #expect(throws: TextDataError.truncatedGzip(file: url.path)) {
      try IMDBLoader.reviews(at: url)
    }
  }

  @Test func corruptGzipIsAnError() throws {
    var bytes = TestArchive.gzip(TestArchive.tar(Self.reviews))
    bytes[10] = 0x07  // deflate block type 3 does not exist
    let url = try TestData.file("bad.tar.gz", bytes)
    #expect {
      try IMDBLoader.reviews(at: url)
    } throws: { error in
      guard case .corruptGzip(let file, _) = error as? TextDataError else {
        return false
      }
      return file == url.path
    }
  }

  @Test func notGzipIsAnError() throws {
    let url = try TestData.file("plain.tar.gz", TestArchive.tar(Self.reviews))
    #expect(throws: TextDataError.notGzip(file: url.path)) {
      try IMDBLoader.reviews(at: url)
    }
  }

  @Test func archiveCutInsideAMemberIsAnError() throws {
    let tar = TestArchive.tar(Self.reviews)
    let url = try TestData.file("short.tar.gz", TestArchive.gzip(Array(tar[..<530])))
    #expect(
      throws: TextDataError.malformedTar(
        file: url.path, offset: 0,
        reason: "archive ends inside member 'aclImdb/train/pos/3_9.txt'")
    ) {
      try IMDBLoader.reviews(at: url)
    }
  }

  @Test func archiveCutInsideAHeaderIsAnError() throws {
    let tar = TestArchive.tar(Self.reviews)
    let url = try TestData.file("head.tar.gz", TestArchive.gzip(Array(tar[..<1100])))
    #expect(
      throws: TextDataError.malformedTar(
        file: url.path, offset: 1024, reason: "archive ends inside a header")
    ) {
      try IMDBLoader.reviews(at: url)
    }
  }

  @Test func badReviewNameNamesTheMember() throws {
    let files: [(name: String, contents: [UInt8])] = [
      ("aclImdb/train/pos/7.txt", Array("x".utf8))
    ]
    let url = try TestData.file("name.tar.gz", TestArchive.gzip(TestArchive.tar(files)))
    #expect(
      throws: TextDataError.badReviewName(file: url.path + ":aclImdb/train/pos/7.txt")
    ) {
      try IMDBLoader.reviews(at: url)
    }
  }

  @Test func badUTF8NamesTheMember() throws {
    let files: [(name: String, contents: [UInt8])] = [
      ("aclImdb/test/neg/4_1.txt", [0x61, 0xff, 0x62])
    ]
    let url = try TestData.file("utf8.tar.gz", TestArchive.gzip(TestArchive.tar(files)))
    #expect(
      throws: TextDataError.invalidUTF8(
        file: url.path + ":aclImdb/test/neg/4_1.txt", line: nil)
    ) {
      try IMDBLoader.reviews(at: url)
    }
  }

  @Test func archiveWithoutReviewsIsAnError() throws {
    let files: [(name: String, contents: [UInt8])] = [("README", Array("hi".utf8))]
    let url = try TestData.file("other.tar.gz", TestArchive.gzip(TestArchive.tar(files)))
    #expect(throws: TextDataError.noReviews(file: url.path)) {
      try IMDBLoader.reviews(at: url)
    }
  }
}
