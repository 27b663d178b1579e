extension TaskData {
  /// IMDB's sets (paper, section on tasks): training prompts from train
  /// reviews longer than 200 characters, both classes; evaluation prompts
  /// from `evaluationCount` test reviews longer than 200 characters; the
  /// perplexity texts are positive test reviews cut to
  /// `perplexityCharacters` (the paper's 1,000 by default). The
  /// language model trains on all train reviews, SFT on the positive ones;
  /// the classifiers split the labeled train reviews, and test on the test
  /// reviews.
  public static func imdb(
    reviews: [IMDBReview], tokenizer: some Tokenizer,
    settings: TaskDataSettings
  ) throws(TextDataError) -> TaskData {
    try settings.validate()
    func labeled(_ review: IMDBReview) -> LabeledText {
      LabeledText(
        id: review.key,
        textClass: review.label == .positive ? .positive : .negative,
        text: review.text)
    }
    let train = reviews.filter { $0.split == .train }.map(labeled)
    let test = reviews.filter { $0.split == .test }.map(labeled)
    let long = { (text: LabeledText) in length(text.text) > 200 }
    let seed = settings.seed
    let trainingTexts = train.filter(long).shuffled(
      seed: seed, salt: Draw.training.rawValue)
    let evaluationTexts = try draw(
      settings.evaluationCount, from: test.filter(long),
      what: "IMDB test reviews longer than 200 characters", seed: seed,
      salt: .evaluation)
    let perplexity = test.filter { $0.textClass == .positive }
      .map {
        LabeledText(
          id: $0.id, textClass: $0.textClass,
          text: prefix($0.text, characters: settings.perplexityCharacters(for: .imdb)))
      }
      .shuffled(seed: seed, salt: Draw.perplexity.rawValue)
    return TaskData(
      task: .imdb, settings: settings,
      trainingPrompts: trainingTexts.map {
        prompt($0, tokens: settings.promptTokens, tokenizer: tokenizer)
      },
      evaluationPrompts: evaluationTexts.map {
        prompt($0, tokens: settings.promptTokens, tokenizer: tokenizer)
      },
      perplexityTexts: perplexity,
      languageModelTexts: train.map(\.text),
      fineTuningTexts: train.filter { $0.textClass == .positive }.map(\.text),
      labeled: train,
      classifierTestTexts: test.shuffled(
        seed: seed, salt: Draw.classifierTest.rawValue))
  }

  /// Jigsaw's sets: training prompts from comments longer than 64
  /// characters, 70 % non-toxic and 30 % toxic, from `train` with the toxic
  /// share topped up from `balanced` when `train` has too few; evaluation on
  /// `test` (all of it unless `evaluationCount` is set); perplexity on its
  /// non-toxic comments cut to `perplexityCharacters` (the paper's 500 by
  /// default). The language model trains on
  /// every comment of `train` and `balanced`, SFT on their non-toxic ones;
  /// the classifiers split those labeled comments and test on `test`.
  public static func jigsaw(
    train: [JigsawComment], test: [JigsawComment], balanced: [JigsawComment],
    tokenizer: some Tokenizer, settings: TaskDataSettings
  ) throws(TextDataError) -> TaskData {
    try settings.validate()
    func labeled(_ comment: JigsawComment) -> LabeledText {
      LabeledText(
        id: comment.id, textClass: comment.isToxic ? .toxic : .nonToxic,
        text: comment.text)
    }
    let trainTexts = train.map(labeled)
    let balancedTexts = balanced.map(labeled)
    let testTexts = test.map(labeled)
    let long = { (text: LabeledText) in length(text.text) > 64 }
    let nonToxic = trainTexts.filter { long($0) && $0.textClass == .nonToxic }
    var toxic = trainTexts.filter { long($0) && $0.textClass == .toxic }
    if toxic.count * 7 < nonToxic.count * 3 {
      toxic += balancedTexts.filter { long($0) && $0.textClass == .toxic }
    }
    let seed = settings.seed
    let trainingTexts = mix(
      desired: nonToxic, other: toxic, share: (3, 10), seed: seed)
    let evaluationTexts = try draw(
      settings.evaluationCount, from: testTexts, what: "Jigsaw test comments",
      seed: seed, salt: .evaluation)
    let perplexity = testTexts.filter { $0.textClass == .nonToxic }
      .map {
        LabeledText(
          id: $0.id, textClass: $0.textClass,
          text: prefix($0.text, characters: settings.perplexityCharacters(for: .jigsaw)))
      }
      .shuffled(seed: seed, salt: Draw.perplexity.rawValue)
    let corpus = trainTexts + balancedTexts
    return TaskData(
      task: .jigsaw, settings: settings,
      trainingPrompts: trainingTexts.map {
        prompt($0, tokens: settings.promptTokens, tokenizer: tokenizer)
      },
      evaluationPrompts: evaluationTexts.map {
        prompt($0, tokens: settings.promptTokens, tokenizer: tokenizer)
      },
      perplexityTexts: perplexity,
      languageModelTexts: corpus.map(\.text),
      fineTuningTexts: corpus.filter { $0.textClass == .nonToxic }.map(\.text),
      labeled: corpus,
      classifierTestTexts: testTexts.shuffled(
        seed: seed, salt: Draw.classifierTest.rawValue))
  }

  /// RealToxicityPrompts' sets: prompts with a toxicity score (records with
  /// a `null` prompt toxicity are left out) split with the seed into a test
  /// set of `evaluationCount` prompts, half toxic, and a training set of the
  /// rest at 70 % non-toxic / 30 % toxic, as large as the rest allows.
  /// Perplexity on non-toxic test records' prompt + continuation cut to
  /// `perplexityCharacters` (500 by default, as Jigsaw's). The language
  /// model trains on prompt + continuation of every
  /// record outside the test set, SFT on those whose prompt and
  /// continuation are both scored non-toxic; the classifiers split the
  /// scored prompts and continuations outside the test set, and test on the
  /// test prompts.
  public static func realToxicityPrompts(
    records: [RealToxicityPrompt], tokenizer: some Tokenizer,
    settings: TaskDataSettings
  ) throws(TextDataError) -> TaskData {
    try settings.validate()
    let seed = settings.seed
    let scored = records.compactMap { record -> LabeledText? in
      record.prompt.isToxic.map {
        LabeledText(
          id: record.id, textClass: $0 ? .toxic : .nonToxic,
          text: record.prompt.text)
      }
    }
    let testCount = settings.evaluationCount ?? 1_000
    let half = testCount / 2
    let toxicPool = try draw(
      nil, from: scored.filter { $0.textClass == .toxic }, what: "", seed: seed,
      salt: .evaluation)
    let nonToxicPool = try draw(
      nil, from: scored.filter { $0.textClass == .nonToxic }, what: "",
      seed: seed, salt: .evaluation)
    guard toxicPool.count >= testCount - half, nonToxicPool.count >= half
    else {
      throw .notEnoughRecords(
        what: "scored prompts of each class for a 50/50 test set",
        needed: testCount - half,
        available: min(toxicPool.count, nonToxicPool.count))
    }
    let testTexts =
      (Array(toxicPool.prefix(testCount - half))
      + Array(nonToxicPool.prefix(half)))
      .shuffled(seed: seed, salt: Draw.evaluation.rawValue)
    let trainingTexts = mix(
      desired: Array(nonToxicPool.dropFirst(half)),
      other: Array(toxicPool.dropFirst(testCount - half)),
      share: (3, 10), seed: seed)
    let testIDs = Set(testTexts.map(\.id))
    let cut = settings.perplexityCharacters(for: .realtoxicityprompts)
    let byID = Dictionary(
      records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    let perplexity = testTexts.filter { $0.textClass == .nonToxic }
      .compactMap { text in
        byID[text.id].map {
          LabeledText(
            id: text.id, textClass: .nonToxic,
            text: prefix($0.prompt.text + $0.continuation.text, characters: cut))
        }
      }
    let outside = records.filter { !testIDs.contains($0.id) }
    var labeled = [LabeledText]()
    for record in outside {
      for (part, suffix) in [(record.prompt, "prompt"), (record.continuation, "continuation")] {
        guard let isToxic = part.isToxic else { continue }
        labeled.append(
          LabeledText(
            id: record.id + "/" + suffix, textClass: isToxic ? .toxic : .nonToxic,
            text: part.text))
      }
    }
    return TaskData(
      task: .realtoxicityprompts, settings: settings,
      trainingPrompts: trainingTexts.map {
        prompt($0, tokens: settings.promptTokens, tokenizer: tokenizer)
      },
      evaluationPrompts: testTexts.map {
        prompt($0, tokens: settings.promptTokens, tokenizer: tokenizer)
      },
      perplexityTexts: perplexity.shuffled(seed: seed, salt: Draw.perplexity.rawValue),
      languageModelTexts: outside.map { $0.prompt.text + $0.continuation.text },
      fineTuningTexts: outside.filter {
        $0.prompt.isToxic == false && $0.continuation.isToxic == false
      }.map { $0.prompt.text + $0.continuation.text },
      labeled: labeled,
      classifierTestTexts: testTexts)
  }
}
