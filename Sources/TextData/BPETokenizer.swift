import Checksums
import Synchronization

/// A byte-level byte-pair-encoding tokenizer in GPT-2's form (Radford et al.,
/// 2019; OpenAI's `encoder.py`): text is split by `PreTokenizer`, each word's
/// UTF-8 bytes become byte tokens, and within a word the adjacent pair with
/// the lowest merge rank is merged, every occurrence left to right, until no
/// pair has a merge. Decoding concatenates the tokens' bytes.
///
/// The same type serves GPT-2's published vocabulary (`gpt2(in:)`) and
/// vocabularies trained by `BPETrainer`. The end-of-text token is never
/// produced by `encode`: the text `<|endoftext|>` is encoded as ordinary
/// text, as GPT-2's own encoder does. Thread-safe: a bounded cache of words
/// is shared under a lock that `encode` never waits for (a call that finds
/// it busy merges without the cache).
public final class BPETokenizer: Tokenizer {
  /// One merge rule: two readable tokens (see `ByteAlphabet`) that join.
  public struct Merge: Equatable, Hashable, Sendable {
    /// The left token, in readable form.
    public var left: String
    /// The right token, in readable form.
    public var right: String

    /// A merge of `left` and `right`.
    public init(_ left: String, _ right: String) {
      self.left = left
      self.right = right
    }
  }

  /// The readable form of the end-of-text token.
  public static let endOfText = "<|endoftext|>"

  /// The number of token ids: 50,257 for GPT-2.
  public let vocabularySize: Int
  /// The id of `<|endoftext|>`: 50,256 for GPT-2, the last id when trained.
  public let endOfTextID: Int
  /// The readable token of each id; `tokens[id]`.
  public let tokens: [String]
  /// The merges, in rank order (rank 0 first).
  public let merges: [Merge]
  /// Hex SHA-256 of the vocabulary and merges (see `contentHash(...)`), for
  /// caching what depends on this tokenizer.
  public let contentHash: String

  private let idForByte: [Int32]
  private let tokenByteStarts: [Int32]
  private let tokenByteStore: [UInt8]
  private let mergeTable: MergeTable
  private let preTokenizer = PreTokenizer()
  private let cache: Mutex<WordCache>

  /// A tokenizer over `tokens` (indexed by id) and `merges` (in rank order).
  ///
  /// - Parameters:
  ///   - tokens: readable token of each id, `[vocabularySize]`; it must hold
  ///     the 256 single-byte tokens and `<|endoftext|>`.
  ///   - merges: merge rules, rank 0 first; each pair and its join must be
  ///     tokens.
  ///   - source: the file the vocabulary came from, for error messages.
  ///   - mergesSource: the file the merges came from, for error messages.
  ///   - mergeLines: the 1-based line of each merge, for error messages.
  /// - Throws: `TextDataError` naming the file, line and token at fault.
  public init(
    tokens: [String], merges: [Merge], source: String = "<vocabulary>",
    mergesSource: String = "<merges>", mergeLines: [Int]? = nil
  ) throws(TextDataError) {
    var idForToken = [String: Int32](minimumCapacity: tokens.count)
    var starts: [Int32] = [0]
    var store = [UInt8]()
    for (id, token) in tokens.enumerated() {
      guard idForToken.updateValue(Int32(id), forKey: token) == nil else {
        throw .badTokenIDs(
          file: source, reason: "token '\(token)' appears twice")
      }
      if token == BPETokenizer.endOfText {
        store.append(contentsOf: Array(token.utf8))
      } else if let bytes = ByteAlphabet.bytes(for: token) {
        store.append(contentsOf: bytes)
      } else {
        throw .tokenOutsideByteAlphabet(file: source, token: token)
      }
      starts.append(Int32(store.count))
    }

    var idForByte = [Int32](repeating: 0, count: 256)
    for byte in 0...255 {
      let token = ByteAlphabet.token(for: [UInt8(byte)])
      guard let id = idForToken[token] else {
        throw .missingToken(file: source, token: token)
      }
      idForByte[byte] = id
    }
    guard let endOfTextID = idForToken[BPETokenizer.endOfText] else {
      throw .missingToken(file: source, token: BPETokenizer.endOfText)
    }

    var table = MergeTable(capacity: merges.count)
    for (rank, merge) in merges.enumerated() {
      let line = mergeLines?[rank] ?? rank + 1
      guard let left = idForToken[merge.left] else {
        throw .unknownToken(file: mergesSource, line: line, token: merge.left)
      }
      guard let right = idForToken[merge.right] else {
        throw .unknownToken(
          file: mergesSource, line: line, token: merge.right)
      }
      guard let merged = idForToken[merge.left + merge.right] else {
        throw .unknownToken(
          file: mergesSource, line: line, token: merge.left + merge.right)
      }
      table.insert(left: left, right: right, rank: Int32(rank), merged: merged)
    }

    self.vocabularySize = tokens.count
    self.endOfTextID = Int(endOfTextID)
    self.tokens = tokens
    self.merges = merges
    self.contentHash = BPETokenizer.contentHash(tokens: tokens, merges: merges)
    self.idForByte = idForByte
    self.tokenByteStarts = starts
    self.tokenByteStore = store
    self.mergeTable = table
    self.cache = Mutex(WordCache(maxEntries: 1 << 16))
  }

  /// Hex SHA-256 over the tokens (one per line, in id order), a line `--`,
  /// and the merges (one `left right` per line, in rank order).
  public static func contentHash(tokens: [String], merges: [Merge]) -> String {
    let hasher = SHA256()
    for token in tokens { hasher.update(token + "\n") }
    hasher.update("--\n")
    for merge in merges { hasher.update(merge.left + " " + merge.right + "\n") }
    return hasher.finishHex()
  }

  // MARK: - Encoding

  /// The token ids of `text`, exactly as GPT-2's `encoder.py` gives them.
  public func encode(_ text: String) -> [Int] {
    encode(text, limit: Int.max)
  }

  /// The first `maxTokens` ids of `encode(text)`, found without encoding
  /// the words past them.
  public func encodePrefix(_ text: String, maxTokens: Int) -> [Int] {
    Array(encode(text, limit: maxTokens).prefix(maxTokens))
  }

  /// The token ids of each text, in order.
  public func encode(_ texts: [String]) -> [[Int]] {
    texts.map { encode($0) }
  }

  /// The ids of `text`'s words until at least `limit` ids are out.
  private func encode(_ text: String, limit: Int) -> [Int] {
    var text = text
    var output = [Int]()
    output.reserveCapacity(min(text.utf8.count / 3 + 1, limit))
    text.withUTF8 { bytes in
      let cached: Void? = cache.withLockIfAvailable { cache in
        encode(bytes, limit: limit, cache: &cache, into: &output)
      }
      if cached == nil {
        var uncached = WordCache(maxEntries: 0)
        encode(bytes, limit: limit, cache: &uncached, into: &output)
      }
    }
    return output
  }

  private func encode(
    _ bytes: UnsafeBufferPointer<UInt8>, limit: Int, cache: inout WordCache,
    into output: inout [Int]
  ) {
    var symbols = [Int32]()
    symbols.reserveCapacity(64)
    mergeTable.withStorage { keys, values in
      idForByte.withUnsafeBufferPointer { idForByte in
        preTokenizer.forEachWord(in: bytes) { range in
          let word = UnsafeBufferPointer(rebasing: bytes[range])
          if word.count == 1 {
            output.append(Int(idForByte[Int(word[0])]))
            return output.count < limit
          }
          let cacheable = word.count <= WordCache.longestWord
          let hash = cacheable ? WordCache.hash(word) : 0
          if cacheable, cache.append(word, hash: hash, to: &output) {
            return output.count < limit
          }
          merge(word, into: &symbols, idForByte, keys, values)
          for id in symbols { output.append(Int(id)) }
          if cacheable {
            symbols.withUnsafeBufferPointer { ids in
              cache.insert(word, hash: hash, ids: ids)
            }
          }
          return output.count < limit
        }
      }
    }
  }

  /// Applies the merges to one word, leaving its token ids in `symbols`.
  @inline(__always)
  private func merge(
    _ word: UnsafeBufferPointer<UInt8>, into symbols: inout [Int32],
    _ idForByte: UnsafeBufferPointer<Int32>,
    _ keys: UnsafeBufferPointer<UInt64>, _ values: UnsafeBufferPointer<UInt64>
  ) {
    symbols.removeAll(keepingCapacity: true)
    for byte in word { symbols.append(idForByte[Int(byte)]) }
    var count = symbols.count
    symbols.withUnsafeMutableBufferPointer { symbols in
      while count > 1 {
        var best = UInt64.max
        var bestIndex = 0
        for index in 0..<(count - 1) {
          let found = mergeTable.lookup(
            symbols[index], symbols[index + 1], keys: keys, values: values)
          if found < best {
            best = found
            bestIndex = index
          }
        }
        if best == UInt64.max { break }
        let left = symbols[bestIndex]
        let right = symbols[bestIndex + 1]
        let merged = Int32(truncatingIfNeeded: best & 0xffff_ffff)
        var read = bestIndex
        var write = bestIndex
        while read < count {
          if read + 1 < count, symbols[read] == left, symbols[read + 1] == right {
            symbols[write] = merged
            read += 2
          } else {
            symbols[write] = symbols[read]
            read += 1
          }
          write += 1
        }
        count = write
      }
    }
    symbols.removeLast(symbols.count - count)
  }

  // MARK: - Decoding

  /// The text of `ids`; bytes that are not valid UTF-8 become U+FFFD, as
  /// with GPT-2's `errors="replace"`.
  ///
  /// - Precondition: every id is in `0..<vocabularySize`.
  public func decode(_ ids: [Int]) -> String {
    String(decoding: decodeBytes(ids), as: UTF8.self)
  }

  /// The bytes of `ids`, concatenated; no UTF-8 repair.
  ///
  /// - Precondition: every id is in `0..<vocabularySize`.
  public func decodeBytes(_ ids: [Int]) -> [UInt8] {
    var bytes = [UInt8]()
    bytes.reserveCapacity(ids.count * 4)
    for id in ids {
      precondition(
        id >= 0 && id < vocabularySize,
        "token id \(id) outside 0..<\(vocabularySize)")
      let start = Int(tokenByteStarts[id])
      let end = Int(tokenByteStarts[id + 1])
      bytes.append(contentsOf: tokenByteStore[start..<end])
    }
    return bytes
  }
}
