import Configuration
import TextData
import Tracking

extension RunInputs {
  /// The inputs of a configured run from the task's paper sets: every text
  /// tokenized and cut to the model's context, the sets capped by the
  /// configuration's counts, and the training and evaluation prompts stored
  /// in `store` (so episodes can point at them).
  ///
  /// Classifier labels are 1 for the class whose logit is the reward —
  /// positive (IMDB, sign +1) or toxic (Jigsaw, RealToxicityPrompts, sign
  /// −1) — and 0 otherwise. Perplexity texts start with `<|endoftext|>` so
  /// every token of the text is predicted, as Hugging Face's `evaluate`
  /// perplexity does by default. Responses stop at `<|endoftext|>`.
  /// `data.corpus_texts` caps the corpus, the SFT texts and each
  /// classifier's texts; classifier texts are then taken alternating between
  /// classes so a small cap still sees both. The held-out classifier texts
  /// are the first `classifierTestLimit` of the task's seeded order (a
  /// uniform sample, each class in its own share).
  ///
  /// - Throws: `RLHFError.invalidParameter` when the tokenizer's vocabulary
  ///   differs from `model.vocab_size` or the prompts' length from
  ///   `data.prompt_tokens`; `TrackingError` from the store.
  public static func make(
    from data: TaskData, tokenizer: some Tokenizer, configuration: RunConfiguration,
    store: Store
  ) throws -> RunInputs {
    let model = configuration.model
    guard tokenizer.vocabularySize == model.vocabSize else {
      throw RLHFError.invalidParameter(
        name: "model.vocab_size", value: Double(model.vocabSize),
        allowed: "equal to the tokenizer's vocabulary size \(tokenizer.vocabularySize)")
    }
    guard data.settings.promptTokens == configuration.data.promptTokens else {
      throw RLHFError.invalidParameter(
        name: "data.prompt_tokens", value: Double(configuration.data.promptTokens),
        allowed: "equal to the prompt sets' \(data.settings.promptTokens) tokens")
    }

    let context = model.context
    func encode(_ texts: [String], cap: Int?) -> [[Int]] {
      texts.prefix(cap ?? texts.count).map {
        tokenizer.encodePrefix($0, maxTokens: context)
      }
    }
    let rewardIsToxic = data.task != .imdb
    func labels(_ texts: [LabeledText]) -> [Int] {
      texts.map { $0.textClass == (rewardIsToxic ? .toxic : .positive) ? 1 : 0 }
    }
    let cap = configuration.data.corpusTexts
    let rewardTexts = Self.alternatingClasses(data.rewardTexts, cap: cap)
    let judgeTexts = Self.alternatingClasses(data.judgeTexts, cap: cap)
    let testTexts = Array(data.classifierTestTexts.prefix(Self.classifierTestLimit))
    let train = Array(
      data.trainingPrompts.prefix(
        configuration.trainingPromptCount(available: data.trainingPrompts.count)))
    let evaluation = Array(
      data.evaluationPrompts.prefix(
        configuration.data.evalPrompts ?? data.evaluationPrompts.count))
    let ids = try store.upsert(
      prompts: (train + evaluation).map {
        PromptRecord(
          task: data.task.rawValue, promptID: $0.id, promptClass: $0.textClass.rawValue,
          text: $0.text)
      })
    let perplexity = data.perplexityTexts.prefix(
      configuration.eval.perplexityTexts ?? data.perplexityTexts.count)

    return RunInputs(
      corpus: encode(data.languageModelTexts, cap: configuration.data.corpusTexts),
      sftTexts: encode(data.fineTuningTexts, cap: configuration.data.corpusTexts),
      rewardTexts: encode(rewardTexts.map(\.text), cap: nil),
      rewardLabels: labels(rewardTexts),
      judgeTexts: encode(judgeTexts.map(\.text), cap: nil),
      judgeLabels: labels(judgeTexts),
      classifierTestTexts: encode(testTexts.map(\.text), cap: nil),
      classifierTestLabels: labels(testTexts), rewardClass: 1,
      rewardSign: rewardIsToxic ? -1 : 1, trainPrompts: train.map(\.tokens),
      trainPromptIDs: Array(ids.prefix(train.count)),
      evalPrompts: evaluation.map(\.tokens), evalPromptIDs: Array(ids.dropFirst(train.count)),
      perplexityTexts: perplexity.map {
        [tokenizer.endOfTextID] + tokenizer.encodePrefix($0.text, maxTokens: context - 1)
      },
      padToken: tokenizer.endOfTextID, stopToken: tokenizer.endOfTextID,
      decode: { tokenizer.decode($0) })
  }

  /// Held-out classifier texts a run scores at most: 1,000, enough for an
  /// accuracy within about ±3 points (95 %) while costing each classifier
  /// 1,000 forward passes, not the 25,000 of IMDB's whole test split.
  public static let classifierTestLimit = 1_000

  /// `texts` reordered to alternate between classes (each class keeping its
  /// order), then cut to `cap`; all of them when `cap` is nil.
  static func alternatingClasses(_ texts: [LabeledText], cap: Int?) -> [LabeledText] {
    guard let cap, cap < texts.count else { return texts }
    var queues: [[LabeledText]] = []
    var classes: [TextClass] = []
    for text in texts {
      if let index = classes.firstIndex(of: text.textClass) {
        queues[index].append(text)
      } else {
        classes.append(text.textClass)
        queues.append([text])
      }
    }
    var result: [LabeledText] = []
    var position = 0
    while result.count < cap {
      for queue in queues where position < queue.count && result.count < cap {
        result.append(queue[position])
      }
      position += 1
    }
    return result
  }
}
