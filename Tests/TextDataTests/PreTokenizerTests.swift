import Testing

@testable import TextData

@Suite struct PreTokenizerTests {
  /// Words as Python's `regex` module splits them with GPT-2's pattern.
  static let cases: [(String, [String])] = [
    ("Hello world", ["Hello", " world"]),
    (
      "I'm sure they'll say it's fine, we've done 'd",
      [
        "I", "'m", " sure", " they", "'ll", " say", " it", "'s", " fine", ",",
        " we", "'ve", " done", " '", "d",
      ]
    ),
    ("Don'T 'S", ["Don", "'", "T", " '", "S"]),
    ("'sup 'll'", ["'s", "up", " '", "ll", "'"]),
    ("a  b", ["a", " ", " b"]),
    ("a   b\n\n c", ["a", "  ", " b", "\n\n", " c"]),
    ("trailing   ", ["trailing", "   "]),
    ("\n\n\nX", ["\n\n", "\n", "X"]),
    (" \t\n x", [" \t\n", " x"]),
    ("a\r\nb", ["a", "\r", "\n", "b"]),
    ("tab\tsep\t\tx", ["tab", "\t", "sep", "\t", "\t", "x"]),
    ("   ", ["   "]),
    ("", []),
    ("x\u{a0}y\u{2003} z", ["x", "\u{a0}", "y", "\u{2003}", " z"]),
    ("x \u{2028}y", ["x", " ", "\u{2028}", "y"]),
    ("\u{1c}\u{1d} \u{85}a", ["\u{1c}\u{1d}", " ", "\u{85}", "a"]),
    ("1234567 3.14 ½ ²", ["1234567", " 3", ".", "14", " ½", " ²"]),
    ("<br /><br />Hi", ["<", "br", " /><", "br", " />", "Hi"]),
    ("Ωmega ǅ ʰ", ["Ωmega", " ǅ", " ʰ"]),
    ("naïve café — déjà vu", ["naïve", " café", " —", " déjà", " vu"]),
    (
      "emoji 😀👍🏽 family 👨‍👩‍👧",
      ["emoji", " 😀👍🏽", " family", " 👨‍👩‍👧"]
    ),
  ]

  @Test(arguments: cases)
  func splitsAsGPT2sPattern(text: String, words: [String]) {
    #expect(PreTokenizer().words(in: text) == words)
  }

  @Test func wordsConcatenateToTheText() {
    let text = "  Mixed\tinput, 42 times!\n\n  'tis \u{3000}end  "
    #expect(PreTokenizer().words(in: text).joined() == text)
  }
}
