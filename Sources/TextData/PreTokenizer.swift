/// GPT-2's pre-tokeniser: splits text into the words that byte-pair merges
/// never cross, exactly as GPT-2's pattern does,
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// but as a hand-written scanner over Unicode scalars instead of a regex
/// engine. `\p{L}` is general category L*, `\p{N}` is N*, `\s` is the
/// Unicode White_Space property (as in Oniguruma, which Hugging Face
/// `tokenizers` uses). The optional prefix is the space U+0020 only, and the
/// contractions are case-sensitive with the ASCII apostrophe. A run of
/// whitespace before a non-space keeps its last scalar for the next word
/// (`\s+(?!\S)`), so `"a  b"` splits as `"a"`, `" "`, `" b"`.
public struct PreTokenizer: Sendable {
  /// A scalar's class for the pattern.
  enum ScalarClass: UInt8 {
    case other = 0
    case letter = 1
    case number = 2
    case space = 3
  }

  /// Classes of the Basic Multilingual Plane, indexed by scalar value.
  private let planeZero: [UInt8]

  /// Makes a pre-tokeniser; the class table is built once per process.
  public init() {
    planeZero = PreTokenizer.planeZeroClasses
  }

  /// The words of `text`, in order; their concatenation is `text`.
  public func words(in text: String) -> [String] {
    var text = text
    return text.withUTF8 { bytes in
      var words = [String]()
      forEachWord(in: bytes) { range in
        words.append(String(decoding: bytes[range], as: UTF8.self))
        return true
      }
      return words
    }
  }

  /// Calls `body` with the byte range of each word of valid UTF-8 `bytes`,
  /// in order, until `body` returns false.
  @inline(__always)
  func forEachWord(
    in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Bool
  ) {
    guard let base = bytes.baseAddress else { return }
    planeZero.withUnsafeBufferPointer { classes in
      guard let classes = classes.baseAddress else { return }
      var start = 0
      while start < bytes.count {
        let end = wordEnd(base, bytes.count, from: start, classes: classes)
        guard body(start..<end) else { return }
        start = end
      }
    }
  }

  // MARK: - Scanning

  // The scanner works on raw pointers with ASCII handled in line: the loops
  // run once per byte of every corpus, and stay fast in debug builds.

  /// The end of the word that starts at `start`.
  @inline(__always)
  private func wordEnd(
    _ bytes: UnsafePointer<UInt8>, _ count: Int, from start: Int,
    classes: UnsafePointer<UInt8>
  ) -> Int {
    let first = bytes[start]
    if first == 0x27, start + 1 < count {
      // 's 't 're 've 'm 'll 'd, tried before anything else.
      let next = bytes[start + 1]
      switch next {
      case 0x73, 0x74, 0x6d, 0x64: return start + 2
      case 0x72, 0x76:
        if start + 2 < count, bytes[start + 2] == 0x65 { return start + 3 }
      case 0x6c:
        if start + 2 < count, bytes[start + 2] == 0x6c { return start + 3 }
      default: break
      }
    }
    let space = ScalarClass.space.rawValue
    if first == 0x20, start + 1 < count {
      // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+` take a leading space.
      let (nextKind, nextLength) = scalarClass(bytes, start + 1, classes)
      if nextKind != space {
        return runEnd(
          bytes, count, from: start + 1 + nextLength, kind: nextKind,
          classes: classes)
      }
    }
    var (kind, length) = scalarClass(bytes, start, classes)
    if kind != space {
      return runEnd(
        bytes, count, from: start + length, kind: kind, classes: classes)
    }
    // `\s+(?!\S)` then `\s+`: a run of whitespace before a non-space gives
    // up its last scalar unless the run is a single scalar.
    var lastStart = start
    var position = start + length
    var scalars = 1
    while position < count {
      (kind, length) = scalarClass(bytes, position, classes)
      guard kind == space else {
        return scalars > 1 ? lastStart : position
      }
      lastStart = position
      position += length
      scalars += 1
    }
    return count
  }

  /// The end of the run of scalars of class `kind` that goes on at `start`.
  @inline(__always)
  private func runEnd(
    _ bytes: UnsafePointer<UInt8>, _ count: Int, from start: Int, kind: UInt8,
    classes: UnsafePointer<UInt8>
  ) -> Int {
    var position = start
    while position < count {
      let byte = bytes[position]
      if byte < 0x80 {
        if classes[Int(byte)] != kind { break }
        position += 1
        continue
      }
      let (found, length) = scalarClass(bytes, position, classes)
      if found != kind { break }
      position += length
    }
    return position
  }

  /// The class and byte length of the scalar at `index`.
  @inline(__always)
  private func scalarClass(
    _ bytes: UnsafePointer<UInt8>, _ index: Int, _ classes: UnsafePointer<UInt8>
  ) -> (UInt8, Int) {
    let byte = bytes[index]
    if byte < 0x80 { return (classes[Int(byte)], 1) }
    let (value, length) = decode(bytes, at: index)
    if value < 0x10000 { return (classes[Int(value)], length) }
    return (PreTokenizer.scalarClass(value).rawValue, length)
  }

  /// The scalar value and byte length of the valid non-ASCII UTF-8 at
  /// `index`.
  @inline(__always)
  private func decode(
    _ bytes: UnsafePointer<UInt8>, at index: Int
  ) -> (UInt32, Int) {
    let lead = UInt32(bytes[index])
    if lead < 0xe0 {
      return ((lead & 0x1f) << 6 | UInt32(bytes[index + 1] & 0x3f), 2)
    }
    if lead < 0xf0 {
      let value =
        (lead & 0x0f) << 12 | UInt32(bytes[index + 1] & 0x3f) << 6
        | UInt32(bytes[index + 2] & 0x3f)
      return (value, 3)
    }
    let value =
      (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3f) << 12
      | UInt32(bytes[index + 2] & 0x3f) << 6 | UInt32(bytes[index + 3] & 0x3f)
    return (value, 4)
  }

  // MARK: - Unicode properties

  private static let planeZeroClasses: [UInt8] = (0..<0x10000).map {
    scalarClass(UInt32($0)).rawValue
  }

  /// The class of a scalar value from its Unicode properties.
  static func scalarClass(_ value: UInt32) -> ScalarClass {
    guard let scalar = Unicode.Scalar(value) else { return .other }
    let properties = scalar.properties
    if properties.isWhitespace { return .space }
    switch properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter,
      .modifierLetter, .otherLetter:
      return .letter
    case .decimalNumber, .letterNumber, .otherNumber:
      return .number
    default:
      return .other
    }
  }
}
