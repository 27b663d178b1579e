import Tensors

/// A batch of token sequences of one length, with an attention mask that
/// marks padding (Hugging Face's `input_ids` and `attention_mask`).
///
/// Sequences of different lengths are left-padded (`leftPadded(_:padToken:)`),
/// as decoder-only generation needs. Position ids follow the mask:
/// `position[b, t] = max(0, Σ_{s≤t} mask[b, s] − 1)`, so every sequence's
/// first real token sits at position 0 whatever its padding.
public struct TokenBatch: Equatable, Sendable {
  /// The number of sequences.
  public let batchSize: Int
  /// The number of positions of every sequence, padding included.
  public let length: Int
  /// Token ids, `[batchSize, length]`, row-major; pad positions hold any
  /// valid id (the pad token).
  public let tokens: [Int]
  /// `[batchSize, length]`, row-major: 1 for a real token, 0 for padding.
  public let mask: [Float]

  /// A batch of `batchSize` sequences of `length` tokens.
  ///
  /// - Parameters:
  ///   - tokens: `[batchSize, length]`, row-major.
  ///   - mask: `[batchSize, length]`, row-major, each 0 or 1; `nil` means
  ///     no padding.
  /// - Throws: `ModelsError.inputShapeMismatch` when a count does not match
  ///   the shape, `.invalidArgument` for a mask value other than 0 or 1.
  public init(
    tokens: [Int], batchSize: Int, length: Int, mask: [Float]? = nil
  ) throws(ModelsError) {
    guard batchSize >= 0, length >= 0, tokens.count == batchSize * length else {
      throw .inputShapeMismatch(
        name: "tokens", expected: [batchSize, length], found: tokens.count)
    }
    let mask = mask ?? [Float](repeating: 1, count: tokens.count)
    guard mask.count == tokens.count else {
      throw .inputShapeMismatch(name: "mask", expected: [batchSize, length], found: mask.count)
    }
    if let bad = mask.first(where: { $0 != 0 && $0 != 1 }) {
      throw .invalidArgument(name: "mask value", value: "\(bad)", allowed: "0 or 1")
    }
    self.batchSize = batchSize
    self.length = length
    self.tokens = tokens
    self.mask = mask
  }

  /// A batch of equal-length sequences without padding.
  ///
  /// - Throws: `ModelsError.inputShapeMismatch` when the rows differ in
  ///   length.
  public init(rows: [[Int]]) throws(ModelsError) {
    let length = rows.first?.count ?? 0
    for row in rows where row.count != length {
      throw .inputShapeMismatch(name: "row", expected: [length], found: row.count)
    }
    try self.init(tokens: rows.flatMap { $0 }, batchSize: rows.count, length: length)
  }

  /// Sequences of any lengths, left-padded with `padToken` to the longest.
  public static func leftPadded(_ sequences: [[Int]], padToken: Int) -> TokenBatch {
    let length = sequences.map(\.count).max() ?? 0
    var tokens: [Int] = []
    var mask: [Float] = []
    tokens.reserveCapacity(sequences.count * length)
    mask.reserveCapacity(sequences.count * length)
    for sequence in sequences {
      let padding = length - sequence.count
      tokens += repeatElement(padToken, count: padding)
      tokens += sequence
      mask += repeatElement(0, count: padding)
      mask += repeatElement(1, count: sequence.count)
    }
    return TokenBatch(
      unchecked: tokens, mask: mask, batchSize: sequences.count, length: length)
  }

  init(unchecked tokens: [Int], mask: [Float], batchSize: Int, length: Int) {
    self.tokens = tokens
    self.mask = mask
    self.batchSize = batchSize
    self.length = length
  }

  /// Whether any position is padding.
  public var hasPadding: Bool { mask.contains(0) }

  /// The real tokens of sequence `row`, padding dropped.
  public func realTokens(ofRow row: Int) -> [Int] {
    (0..<length).compactMap { t in
      mask[row * length + t] == 1 ? tokens[row * length + t] : nil
    }
  }

  /// Position ids, `[batchSize, length]`, row-major (see the type's
  /// description).
  public var positions: [Int] {
    var positions = [Int](repeating: 0, count: tokens.count)
    for row in 0..<batchSize {
      var seen = 0
      for t in 0..<length {
        seen += mask[row * length + t] == 1 ? 1 : 0
        positions[row * length + t] = max(0, seen - 1)
      }
    }
    return positions
  }

  /// Which next-token predictions are between real tokens,
  /// `[batchSize, length − 1]`, row-major: `mask[b, t] · mask[b, t + 1]`.
  public var predictionMask: [Float] {
    guard length > 1 else { return [] }
    var result = [Float](repeating: 0, count: batchSize * (length - 1))
    for row in 0..<batchSize {
      for t in 0..<(length - 1) {
        result[row * (length - 1) + t] =
          mask[row * length + t] * mask[row * length + t + 1]
      }
    }
    return result
  }

  /// The index of each sequence's last real token (the last position when a
  /// sequence has no real token), `[batchSize]`.
  public var lastRealPositions: [Int] {
    (0..<batchSize).map { row in
      (0..<length).last { mask[row * length + $0] == 1 } ?? max(0, length - 1)
    }
  }

  /// The batch with `completions` (`[batchSize][n]`, equal lengths) appended
  /// to every sequence as real tokens.
  ///
  /// - Precondition: one completion per sequence, all of one length.
  public func appending(_ completions: [[Int]]) -> TokenBatch {
    precondition(completions.count == batchSize, "one completion per sequence")
    let extra = completions.first?.count ?? 0
    precondition(completions.allSatisfy { $0.count == extra }, "completions differ in length")
    var tokens: [Int] = []
    var mask: [Float] = []
    for row in 0..<batchSize {
      tokens += self.tokens[(row * length)..<((row + 1) * length)] + completions[row]
      mask += self.mask[(row * length)..<((row + 1) * length)]
      mask += repeatElement(1, count: extra)
    }
    return TokenBatch(
      unchecked: tokens, mask: mask, batchSize: batchSize, length: length + extra)
  }

  /// The additive attention bias for padded keys, `[batchSize, length]`:
  /// 0 for real tokens, `-infinity` for padding; `nil` without padding.
  var keyBias: Tensor? {
    guard hasPadding else { return nil }
    return Tensor(shape: [batchSize, length], scalars: mask.map { $0 == 1 ? 0 : -.infinity })
  }

  /// Checks that every id is below `vocabularySize` and the length fits
  /// `contextLength`.
  func validate(vocabularySize: Int, contextLength: Int) throws(ModelsError) {
    guard length <= contextLength else {
      throw .sequenceTooLong(length: length, contextLength: contextLength)
    }
    if let bad = tokens.first(where: { $0 < 0 || $0 >= vocabularySize }) {
      throw .tokenOutOfRange(token: bad, vocabularySize: vocabularySize)
    }
  }
}
