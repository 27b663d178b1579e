/// The shape of per-token arrays in one PPO batch: B response rows padded to
/// T tokens, stored flat and row-major (`[B, T]`, index b·T + t).
///
/// Token t of row b is response token t of episode b; the response mask is 1
/// on the tokens an episode generated and 0 on padding. This is TRL's layout
/// restricted to the response: TRL's prompt positions are masked out and
/// carry no reward, value or advantage, so dropping them changes nothing.
public struct TokenGrid: Sendable, Equatable {
  /// B, the number of rows (episodes); at least 1.
  public let batchSize: Int
  /// T, the padded response length in tokens; at least 1.
  public let length: Int

  /// Makes a grid of `batchSize` rows of `length` tokens.
  ///
  /// - Throws: `RLHFError.invalidParameter` when either is below 1.
  public init(batchSize: Int, length: Int) throws {
    guard batchSize >= 1 else {
      throw RLHFError.invalidParameter(
        name: "batch size", value: Double(batchSize), allowed: "at least 1")
    }
    guard length >= 1 else {
      throw RLHFError.invalidParameter(
        name: "response length", value: Double(length), allowed: "at least 1")
    }
    self.batchSize = batchSize
    self.length = length
  }

  /// B · T, the element count of a per-token array.
  public var count: Int { batchSize * length }

  /// Flat index of token `t` of row `b`.
  @inlinable public func index(_ b: Int, _ t: Int) -> Int { b * length + t }

  /// Throws unless `array` has B · T elements.
  public func check(_ array: [Double], _ name: String) throws {
    guard array.count == count else {
      throw RLHFError.shapeMismatch(name: name, expected: count, got: array.count)
    }
  }

  /// Throws unless `array` has B elements.
  public func checkRows<Element>(_ array: [Element], _ name: String) throws {
    guard array.count == batchSize else {
      throw RLHFError.shapeMismatch(
        name: name, expected: batchSize, got: array.count)
    }
  }

  /// A `[B, T]` response mask whose row b is 1 on its first `lengths[b]`
  /// tokens and 0 after.
  ///
  /// - Parameter lengths: response length of each episode, `[B]`, each in
  ///   1…T.
  /// - Throws: `RLHFError.shapeMismatch` or `.invalidParameter` for a length
  ///   outside 1…T.
  public func responseMask(lengths: [Int]) throws -> [Double] {
    try checkRows(lengths, "response lengths")
    var mask = [Double](repeating: 0, count: count)
    for (b, tokens) in lengths.enumerated() {
      guard tokens >= 1, tokens <= length else {
        throw RLHFError.invalidParameter(
          name: "response length of episode \(b)", value: Double(tokens),
          allowed: "in 1…\(length)")
      }
      for t in 0..<tokens { mask[index(b, t)] = 1 }
    }
    return mask
  }

  /// The index of the last masked-in token of row `b`, or nil if none.
  public func lastMaskedToken(in mask: [Double], row b: Int) -> Int? {
    for t in stride(from: length - 1, through: 0, by: -1) where mask[index(b, t)] != 0 {
      return t
    }
    return nil
  }
}
