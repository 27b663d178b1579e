/// An open-addressing hash table from a pair of token ids to the rank of
/// their merge and the id it makes; faster than `Dictionary` on this path
/// because the key is one `UInt64` and the hash one multiplication.
struct MergeTable: Sendable {
  private var keys: [UInt64]
  /// `rank << 32 | merged id`, parallel to `keys`.
  private var values: [UInt64]
  private let shift: UInt64
  private static let empty = UInt64.max

  /// A table with room for `count` merges at most half full.
  init(capacity count: Int) {
    var bits = 4
    while (1 << bits) < 2 * max(count, 1) { bits += 1 }
    keys = Array(repeating: MergeTable.empty, count: 1 << bits)
    values = Array(repeating: 0, count: 1 << bits)
    shift = UInt64(64 - bits)
  }

  @inline(__always)
  static func key(_ left: Int32, _ right: Int32) -> UInt64 {
    UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
  }

  /// Records that `left right` merges at `rank` into `merged`; an earlier
  /// rank for the same pair wins, as in GPT-2's `bpe_ranks` lookups.
  mutating func insert(left: Int32, right: Int32, rank: Int32, merged: Int32) {
    let key = MergeTable.key(left, right)
    var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    let mask = keys.count - 1
    while keys[slot] != MergeTable.empty {
      if keys[slot] == key { return }
      slot = (slot + 1) & mask
    }
    keys[slot] = key
    values[slot] = UInt64(UInt32(rank)) << 32 | UInt64(UInt32(merged))
  }

  /// `rank << 32 | merged id` for the pair, or `UInt64.max` when the pair
  /// has no merge.
  @inline(__always)
  func lookup(
    _ left: Int32, _ right: Int32, keys: UnsafeBufferPointer<UInt64>,
    values: UnsafeBufferPointer<UInt64>
  ) -> UInt64 {
    let key = MergeTable.key(left, right)
    var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    let mask = keys.count - 1
    while true {
      let found = keys[slot]
      if found == key { return values[slot] }
      if found == MergeTable.empty { return UInt64.max }
      slot = (slot + 1) & mask
    }
  }

  /// Calls `body` with raw views of the table for a run of lookups.
  @inline(__always)
  func withStorage<Result>(
    _ body: (UnsafeBufferPointer<UInt64>, UnsafeBufferPointer<UInt64>) ->
      Result
  ) -> Result {
    keys.withUnsafeBufferPointer { keys in
      values.withUnsafeBufferPointer { values in body(keys, values) }
    }
  }
}
