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
  /// perplexity does by default.
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
      rewardTexts: encode(data.rewardTexts.map(\.text), cap: nil),
      rewardLabels: labels(data.rewardTexts),
      judgeTexts: encode(data.judgeTexts.map(\.text), cap: nil),
      judgeLabels: labels(data.judgeTexts), rewardClass: 1,
      rewardSign: rewardIsToxic ? -1 : 1, trainPrompts: train.map(\.tokens),
      trainPromptIDs: Array(ids.prefix(train.count)),
      evalPrompts: evaluation.map(\.tokens), evalPromptIDs: Array(ids.dropFirst(train.count)),
      perplexityTexts: perplexity.map {
        [tokenizer.endOfTextID] + tokenizer.encodePrefix($0.text, maxTokens: context - 1)
      },
      padToken: tokenizer.endOfTextID, decode: { tokenizer.decode($0) })
  }
}
