import Checksums
import Foundation
import Testing

@Suite struct SHA256Tests {
  /// FIPS 180-4 example vectors.
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func matchesPublishedVectors(text: String, digest: String) {
    #expect(SHA256.hex(of: text) == digest)
  }

  @Test func incrementalUpdatesEqualOneShot() {
    let hasher = SHA256()
    hasher.update("abcdbcdecdefdefgefghfghigh")
    hasher.update("ijhijkijkljklmklmnlmnomnopnopq")
    #expect(
      hasher.finishHex()
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
  }

  @Test func fileDigestMatchesTheSharedChecksumList() throws {
    let url = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("shared/data/tokenizers/gpt2/vocab.bpe")
    let data =
      ProcessInfo.processInfo.environment["RARLHF_DATA"].map {
        URL(fileURLWithPath: $0).appendingPathComponent("tokenizers/gpt2/vocab.bpe")
      } ?? url
    #expect(
      try SHA256.hex(ofFileAt: data)
        == "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5")
  }

  @Test func missingFileIsNamedInTheError() {
    #expect(throws: ChecksumError.unreadable(path: "/nonexistent/x")) {
      try SHA256.hex(ofFileAt: URL(fileURLWithPath: "/nonexistent/x"))
    }
  }
}
