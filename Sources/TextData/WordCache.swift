import Foundation

/// A bounded cache from a word's bytes to its token ids, so frequent words
/// skip the merge loop. Entries are kept in flat arrays; once `maxEntries`
/// words are stored it takes no more (the first words of a corpus are
/// mostly its frequent ones), so memory stays bounded.
struct WordCache: ~Copyable {
  private var slots: [Int32]
  private var hashes: [UInt64] = []
  private var keyStarts: [Int32] = [0]
  private var valueStarts: [Int32] = [0]
  private var keyBytes: [UInt8] = []
  private var values: [Int32] = []
  private let maxEntries: Int
  /// Words longer than this are not cached.
  static let longestWord = 48

  init(maxEntries: Int) {
    self.maxEntries = maxEntries
    var size = 16
    while size < 2 * maxEntries { size *= 2 }
    slots = Array(repeating: -1, count: size)
  }

  @inline(__always)
  static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    guard let base = word.baseAddress else { return hash }
    for index in 0..<word.count {
      hash = (hash ^ UInt64(base[index])) &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// Appends the cached ids of `word` to `output`; false when not cached.
  @inline(__always)
  func append(
    _ word: UnsafeBufferPointer<UInt8>, hash: UInt64, to output: inout [Int]
  ) -> Bool {
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = Int(slots[slot])
      if entry < 0 { return false }
      if hashes[entry] == hash, matches(entry, word) {
        let start = Int(valueStarts[entry])
        let end = Int(valueStarts[entry + 1])
        values.withUnsafeBufferPointer { values in
          for index in start..<end { output.append(Int(values[index])) }
        }
        return true
      }
      slot = (slot + 1) & mask
    }
  }

  /// Stores the ids of `word` unless the cache is full.
  mutating func insert(
    _ word: UnsafeBufferPointer<UInt8>, hash: UInt64,
    ids: UnsafeBufferPointer<Int32>
  ) {
    guard hashes.count < maxEntries else { return }
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] >= 0 {
      let entry = Int(slots[slot])
      if hashes[entry] == hash, matches(entry, word) { return }
      slot = (slot + 1) & mask
    }
    slots[slot] = Int32(hashes.count)
    hashes.append(hash)
    keyBytes.append(contentsOf: word)
    keyStarts.append(Int32(keyBytes.count))
    values.append(contentsOf: ids)
    valueStarts.append(Int32(values.count))
  }

  @inline(__always)
  private func matches(_ entry: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = Int(keyStarts[entry])
    guard Int(keyStarts[entry + 1]) - start == word.count else { return false }
    return keyBytes.withUnsafeBufferPointer { keys in
      guard let key = keys.baseAddress, let bytes = word.baseAddress else {
        return false
      }
      return memcmp(key + start, bytes, word.count) == 0
    }
  }
}
