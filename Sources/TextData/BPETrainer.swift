/// Trains a byte-level BPE vocabulary of an exact size on a corpus, the way
/// GPT-2's vocabulary was made (Sennrich et al., 2016; Radford et al., 2019):
/// the corpus is split into words by `PreTokenizer`, every word starts as
/// its bytes, and the most frequent adjacent pair of tokens over all words
/// is merged into a new token until the vocabulary is full.
///
/// Deterministic: ties in frequency go to the pair with the smaller left
/// token id, then the smaller right token id; byte tokens take GPT-2's ids
/// 0…255 (`ByteAlphabet.bytesInTokenOrder`), merged tokens the next ids in
/// order of creation, and `<|endoftext|>` the last id. A merge whose result
/// already is a token (`ab`+`c` and `a`+`bc`) is kept as a rule but adds no
/// token, so the vocabulary size is exact.
public struct BPETrainer: Sendable {
  /// The vocabulary size to reach: 256 bytes + merged tokens + end-of-text.
  public let vocabularySize: Int

  /// A trainer for `vocabularySize` tokens (at least 258).
  ///
  /// - Throws: `TextDataError.invalidVocabularySize` below 258.
  public init(vocabularySize: Int) throws(TextDataError) {
    guard vocabularySize >= 258 else {
      throw .invalidVocabularySize(vocabularySize, minimum: 258)
    }
    self.vocabularySize = vocabularySize
  }

  /// A tokenizer trained on `texts`.
  ///
  /// - Throws: `TextDataError.corpusTooSmall` when the corpus runs out of
  ///   pairs to merge before the vocabulary is full.
  public func train(on texts: some Sequence<String>) throws(TextDataError)
    -> BPETokenizer
  {
    let (words, frequencies) = BPETrainer.countWords(texts)
    var state = State(words: words, frequencies: frequencies)
    while state.tokenBytes.count < vocabularySize - 1 {
      guard let pair = state.popBestPair() else {
        throw .corpusTooSmall(
          vocabularySize: vocabularySize, reached: state.tokenBytes.count + 1)
      }
      state.merge(pair)
    }
    let tokens =
      state.tokenBytes.map { ByteAlphabet.token(for: $0) }
      + [BPETokenizer.endOfText]
    let merges = state.merges.map { left, right in
      BPETokenizer.Merge(
        ByteAlphabet.token(for: state.tokenBytes[Int(left)]),
        ByteAlphabet.token(for: state.tokenBytes[Int(right)]))
    }
    return try BPETokenizer(
      tokens: tokens, merges: merges, source: "<trained vocabulary>",
      mergesSource: "<trained merges>")
  }

  /// The distinct words of the corpus as byte-token ids, sorted by their
  /// bytes so that training does not depend on hashing order, and how often
  /// each occurs.
  static func countWords(
    _ texts: some Sequence<String>
  ) -> ([[Int32]], [Int]) {
    let preTokenizer = PreTokenizer()
    var counts = [[UInt8]: Int]()
    for var text in texts {
      text.withUTF8 { bytes in
        preTokenizer.forEachWord(in: bytes) { range in
          counts[Array(bytes[range]), default: 0] += 1
          return true
        }
      }
    }
    var idForByte = [Int32](repeating: 0, count: 256)
    for (id, byte) in ByteAlphabet.bytesInTokenOrder.enumerated() {
      idForByte[Int(byte)] = Int32(id)
    }
    let sorted = counts.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    return (
      sorted.map { word in word.key.map { idForByte[Int($0)] } },
      sorted.map(\.value)
    )
  }

  // MARK: - Training state

  /// Pair counts kept up to date merge by merge, with a heap of candidates
  /// whose stale entries are re-checked when they reach the top.
  private struct State {
    var words: [[Int32]]
    let frequencies: [Int]
    var tokenBytes: [[UInt8]]
    var idForBytes: [[UInt8]: Int32] = [:]
    var merges: [(Int32, Int32)] = []
    var pairCounts: [UInt64: Int] = [:]
    var pairWords: [UInt64: [Int32]] = [:]
    var heap = PairHeap()
    var visited: [Int]

    init(words: [[Int32]], frequencies: [Int]) {
      self.words = words
      self.frequencies = frequencies
      tokenBytes = ByteAlphabet.bytesInTokenOrder.map { [$0] }
      for (id, bytes) in tokenBytes.enumerated() {
        idForBytes[bytes] = Int32(id)
      }
      visited = Array(repeating: -1, count: words.count)
      for (index, word) in words.enumerated() where word.count > 1 {
        for position in 0..<(word.count - 1) {
          let key = MergeTable.key(word[position], word[position + 1])
          pairCounts[key, default: 0] += frequencies[index]
          pairWords[key, default: []].append(Int32(index))
        }
      }
      for (key, count) in pairCounts { heap.push(count: count, key: key) }
    }

    /// The most frequent pair with its current count, or nil when none.
    mutating func popBestPair() -> UInt64? {
      while let (count, key) = heap.pop() {
        let current = pairCounts[key] ?? 0
        if current == count, count > 0 { return key }
        if current > 0 { heap.push(count: current, key: key) }
      }
      return nil
    }

    /// Merges every occurrence of `key` in every word that holds it.
    mutating func merge(_ key: UInt64) {
      let left = Int32(truncatingIfNeeded: key >> 32)
      let right = Int32(truncatingIfNeeded: key & 0xffff_ffff)
      let bytes = tokenBytes[Int(left)] + tokenBytes[Int(right)]
      let merged: Int32
      if let existing = idForBytes[bytes] {
        merged = existing
      } else {
        merged = Int32(tokenBytes.count)
        tokenBytes.append(bytes)
        idForBytes[bytes] = merged
      }
      merges.append((left, right))
      var grown = Set<UInt64>()
      let stamp = merges.count
      for index in pairWords[key] ?? [] {
        let wordIndex = Int(index)
        guard visited[wordIndex] != stamp else { continue }
        visited[wordIndex] = stamp
        let word = words[wordIndex]
        let frequency = frequencies[wordIndex]
        var next = [Int32]()
        next.reserveCapacity(word.count)
        var position = 0
        var changed = false
        while position < word.count {
          if position + 1 < word.count, word[position] == left,
            word[position + 1] == right
          {
            next.append(merged)
            position += 2
            changed = true
          } else {
            next.append(word[position])
            position += 1
          }
        }
        guard changed else { continue }
        for position in 0..<(word.count - 1) {
          let pair = MergeTable.key(word[position], word[position + 1])
          pairCounts[pair, default: 0] -= frequency
        }
        for position in 0..<max(next.count - 1, 0) {
          let pair = MergeTable.key(next[position], next[position + 1])
          pairCounts[pair, default: 0] += frequency
          if next[position] == merged || next[position + 1] == merged {
            pairWords[pair, default: []].append(index)
            grown.insert(pair)
          }
        }
        words[wordIndex] = next
      }
      pairWords[key] = nil
      pairCounts[key] = nil
      // Sorted, so the heap's layout does not depend on hashing order.
      for pair in grown.sorted() {
        if let count = pairCounts[pair], count > 0 {
          heap.push(count: count, key: pair)
        }
      }
    }
  }
}

/// A binary max-heap of pair candidates: higher count first, then smaller
/// key (left id, then right id).
private struct PairHeap {
  private var counts: [Int] = []
  private var keys: [UInt64] = []

  private func before(_ first: Int, _ second: Int) -> Bool {
    counts[first] != counts[second]
      ? counts[first] > counts[second] : keys[first] < keys[second]
  }

  private mutating func swapAt(_ first: Int, _ second: Int) {
    counts.swapAt(first, second)
    keys.swapAt(first, second)
  }

  mutating func push(count: Int, key: UInt64) {
    counts.append(count)
    keys.append(key)
    var child = counts.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard before(child, parent) else { break }
      swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> (Int, UInt64)? {
    guard !counts.isEmpty else { return nil }
    let top = (counts[0], keys[0])
    swapAt(0, counts.count - 1)
    counts.removeLast()
    keys.removeLast()
    var parent = 0
    while true {
      let leftChild = 2 * parent + 1
      let rightChild = leftChild + 1
      var best = parent
      if leftChild < counts.count, before(leftChild, best) { best = leftChild }
      if rightChild < counts.count, before(rightChild, best) {
        best = rightChild
      }
      if best == parent { break }
      swapAt(parent, best)
      parent = best
    }
    return top
  }
}
