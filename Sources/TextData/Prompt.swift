/// The class of a text within its task.
public enum TextClass: String, Sendable, CaseIterable, Equatable {
  /// A positive IMDB review.
  case positive
  /// A negative IMDB review.
  case negative
  /// A toxic comment or prompt.
  case toxic
  /// A non-toxic comment or prompt.
  case nonToxic = "non-toxic"

  /// Whether the reward favours the class: positive or non-toxic.
  public var isDesired: Bool { self == .positive || self == .nonToxic }
}

/// A prompt: the first tokens of a text, with the text's id and class.
public struct Prompt: Sendable, Equatable {
  /// The source record's id: `train/pos/123` (IMDB), the `id` column or
  /// `test:N` (Jigsaw), `line:N` (RealToxicityPrompts).
  public var id: String
  /// The class of the text the prompt comes from.
  public var textClass: TextClass
  /// The prompt's token ids, `[≤ P]`: the first P tokens of the text.
  public var tokens: [Int]
  /// The decoded tokens (a character cut by the last token shows as U+FFFD).
  public var text: String

  /// A prompt.
  public init(id: String, textClass: TextClass, tokens: [Int], text: String) {
    self.id = id
    self.textClass = textClass
    self.tokens = tokens
    self.text = text
  }
}

/// A whole text with its id and class, for language-model and classifier
/// training and for perplexity.
public struct LabeledText: Sendable, Equatable {
  /// The source record's id, as in `Prompt.id`.
  public var id: String
  /// The text's class.
  public var textClass: TextClass
  /// The text.
  public var text: String

  /// A labeled text.
  public init(id: String, textClass: TextClass, text: String) {
    self.id = id
    self.textClass = textClass
    self.text = text
  }
}
