/// A tokenizer: text to token ids and back.
///
/// Ids run from 0 to `vocabularySize - 1`; `endOfTextID` is one of them and
/// marks the end of a document. Conforming types are immutable values or
/// thread-safe classes, so one tokenizer may serve many threads.
public protocol Tokenizer: Sendable {
  /// The number of token ids, the end-of-text token included.
  var vocabularySize: Int { get }
  /// The id of the end-of-text token, `<|endoftext|>`.
  var endOfTextID: Int { get }
  /// The token ids of `text`; each id is in `0..<vocabularySize`.
  func encode(_ text: String) -> [Int]
  /// The first `maxTokens` ids of `encode(text)`.
  func encodePrefix(_ text: String, maxTokens: Int) -> [Int]
  /// The text of `ids`; bytes that are not valid UTF-8 become U+FFFD.
  ///
  /// - Precondition: every id is in `0..<vocabularySize`.
  func decode(_ ids: [Int]) -> String
}

extension Tokenizer {
  /// The first `maxTokens` ids of `encode(text)`, by encoding it all.
  public func encodePrefix(_ text: String, maxTokens: Int) -> [Int] {
    Array(encode(text).prefix(maxTokens))
  }
}
