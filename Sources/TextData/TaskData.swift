import Foundation

/// Every set a task needs, as the paper defines them, each a pure function of
/// the data, a tokenizer and `TaskDataSettings` (its seed included).
///
/// Lengths in characters count Unicode scalars, as Python's `len` does in the
/// paper's code.
public struct TaskData: Sendable {
  /// The task.
  public let task: TaskName
  /// The settings the sets were made with.
  public let settings: TaskDataSettings
  /// Prompts for RL training, in a seeded order (the order of batches).
  public let trainingPrompts: [Prompt]
  /// Prompts of the evaluation set, in a seeded order.
  public let evaluationPrompts: [Prompt]
  /// Human-written desired texts for perplexity (IMDB: positive test
  /// reviews; Jigsaw and RealToxicityPrompts: non-toxic test texts), each
  /// cut to `settings.perplexityCharacters` (the paper's 1,000 and 500 by
  /// default), in a seeded order so that any prefix is a uniform sample.
  public let perplexityTexts: [LabeledText]
  /// All training-side text of the task, for the base language model.
  public let languageModelTexts: [String]
  /// The desired (positive or non-toxic) training-side text, for SFT.
  public let fineTuningTexts: [String]
  /// Labeled texts for the reward classifier.
  public let rewardTexts: [LabeledText]
  /// Labeled texts for the independent judge classifier, disjoint from
  /// `rewardTexts` (split within each class by `settings.judgeFraction`).
  public let judgeTexts: [LabeledText]
  /// Labeled held-out texts to measure either classifier on (test side).
  public let classifierTestTexts: [LabeledText]

  /// Every set of `task` from the files of `data`.
  ///
  /// - Throws: `TextDataError.missingFiles` listing what is missing and how
  ///   to get it; loader errors; `invalidSetting` or `notEnoughRecords`.
  public static func load(
    _ task: TaskName, from data: DataDirectory, tokenizer: some Tokenizer,
    settings: TaskDataSettings
  ) throws(TextDataError) -> TaskData {
    try data.requireFiles(for: task)
    switch task {
    case .imdb:
      return try imdb(
        reviews: IMDBLoader.reviews(in: data), tokenizer: tokenizer,
        settings: settings)
    case .jigsaw:
      return try jigsaw(
        train: JigsawLoader.comments(in: data, source: .train),
        test: JigsawLoader.comments(in: data, source: .test),
        balanced: JigsawLoader.comments(in: data, source: .balanced),
        tokenizer: tokenizer, settings: settings)
    case .realtoxicityprompts:
      return try realToxicityPrompts(
        records: RealToxicityPromptsLoader.records(in: data),
        tokenizer: tokenizer, settings: settings)
    }
  }

  init(
    task: TaskName, settings: TaskDataSettings, trainingPrompts: [Prompt],
    evaluationPrompts: [Prompt], perplexityTexts: [LabeledText],
    languageModelTexts: [String], fineTuningTexts: [String],
    labeled: [LabeledText], classifierTestTexts: [LabeledText]
  ) {
    self.task = task
    self.settings = settings
    self.trainingPrompts = trainingPrompts
    self.evaluationPrompts = evaluationPrompts
    self.perplexityTexts = perplexityTexts
    self.languageModelTexts = languageModelTexts
    self.fineTuningTexts = fineTuningTexts
    (rewardTexts, judgeTexts) = TaskData.split(
      labeled, judgeFraction: settings.judgeFraction, seed: settings.seed)
    self.classifierTestTexts = classifierTestTexts
  }

  // MARK: - Shared steps

  /// Salts that keep the seeded draws of different sets independent.
  enum Draw: UInt64 {
    case training = 1
    case evaluation, perplexity, judge, classifierTest, mixDesired, mixOther
  }

  /// The prompt of the first `count` tokens of `text`.
  static func prompt(
    _ text: LabeledText, tokens count: Int, tokenizer: some Tokenizer
  ) -> Prompt {
    let tokens = tokenizer.encodePrefix(text.text, maxTokens: count)
    return Prompt(
      id: text.id, textClass: text.textClass, tokens: tokens,
      text: tokenizer.decode(tokens))
  }

  /// The number of characters (Unicode scalars) of `text`.
  static func length(_ text: String) -> Int { text.unicodeScalars.count }

  /// The first `count` characters (Unicode scalars) of `text`.
  static func prefix(_ text: String, characters count: Int) -> String {
    var scalars = String.UnicodeScalarView()
    scalars.append(contentsOf: text.unicodeScalars.prefix(count))
    return String(scalars)
  }

  /// The largest set with exactly `share` (e.g. 3/10) of `other` texts and
  /// the rest `desired`, drawn from the pools with `seed`, then shuffled.
  static func mix(
    desired: [LabeledText], other: [LabeledText],
    share: (numerator: Int, denominator: Int), seed: UInt64
  ) -> [LabeledText] {
    let rest = share.denominator - share.numerator
    // Largest total T with T·rest/den ≤ desired and T·num/den ≤ other.
    let total = min(
      desired.count * share.denominator / rest,
      other.count * share.denominator / share.numerator)
    var otherCount = (total * share.numerator) / share.denominator
    var desiredCount = total - otherCount
    if desiredCount > desired.count {
      desiredCount = desired.count
      otherCount = total - desiredCount
    }
    let picked =
      Array(
        desired.shuffled(seed: seed, salt: Draw.mixDesired.rawValue)
          .prefix(desiredCount))
      + Array(
        other.shuffled(seed: seed, salt: Draw.mixOther.rawValue)
          .prefix(otherCount))
    return picked.shuffled(seed: seed, salt: Draw.training.rawValue)
  }

  /// Splits labeled texts into reward and judge sets within each class.
  static func split(
    _ texts: [LabeledText], judgeFraction: Double, seed: UInt64
  ) -> ([LabeledText], [LabeledText]) {
    var reward = [LabeledText]()
    var judge = [LabeledText]()
    for textClass in TextClass.allCases {
      let members = texts.filter { $0.textClass == textClass }
        .shuffled(seed: seed, salt: Draw.judge.rawValue)
      let judgeCount = Int((Double(members.count) * judgeFraction).rounded())
      judge += members.prefix(judgeCount)
      reward += members.dropFirst(judgeCount)
    }
    return (
      reward.shuffled(seed: seed, salt: Draw.judge.rawValue),
      judge.shuffled(seed: seed, salt: Draw.judge.rawValue)
    )
  }

  /// `count` texts drawn from `texts` with `seed`, or all of them in a
  /// seeded order when `count` is nil.
  static func draw(
    _ count: Int?, from texts: [LabeledText], what: String, seed: UInt64,
    salt: Draw
  ) throws(TextDataError) -> [LabeledText] {
    let shuffled = texts.shuffled(seed: seed, salt: salt.rawValue)
    guard let count else { return shuffled }
    guard count <= texts.count else {
      throw .notEnoughRecords(what: what, needed: count, available: texts.count)
    }
    return Array(shuffled.prefix(count))
  }
}
