import Tracking

/// The tokenized data one run needs, prepared by the caller from `TextData`
/// (so this module does not fix how texts are read or tokenized).
///
/// Token ids must be below `model.vocab_size`; every sequence must fit
/// `model.context` together with what is appended to it.
public struct RunInputs: Sendable {
  /// Texts for base language-model training (the task corpus).
  public var corpus: [[Int]]
  /// Preferred texts for SFT (IMDB positive reviews; non-toxic comments).
  public var sftTexts: [[Int]]
  /// Labelled texts for the reward model.
  public var rewardTexts: [[Int]]
  /// Class of each reward text, `[rewardTexts.count]`.
  public var rewardLabels: [Int]
  /// Labelled texts for the judge (held out from the reward model's).
  public var judgeTexts: [[Int]]
  /// Class of each judge text, `[judgeTexts.count]`.
  public var judgeLabels: [Int]
  /// Labelled held-out texts (the task's test side, which neither
  /// classifier trains on) to measure the reward model and the judge on.
  public var classifierTestTexts: [[Int]]
  /// Class of each held-out text, `[classifierTestTexts.count]`.
  public var classifierTestLabels: [Int]
  /// The class whose logit is the reward (IMDB: positive; Jigsaw: toxic).
  public var rewardClass: Int
  /// +1, or −1 to reward the absence of the class (toxicity).
  public var rewardSign: Double
  /// Training prompts, already cut to `data.prompt_tokens`.
  public var trainPrompts: [[Int]]
  /// The stored prompt of each training prompt, `[trainPrompts.count]`.
  public var trainPromptIDs: [PromptID]
  /// Evaluation prompts.
  public var evalPrompts: [[Int]]
  /// The stored prompt of each evaluation prompt, `[evalPrompts.count]`.
  public var evalPromptIDs: [PromptID]
  /// Human-written preferred texts for perplexity, already cut.
  public var perplexityTexts: [[Int]]
  /// The token used for left padding.
  public var padToken: Int
  /// The token that ends a sampled response (`<|endoftext|>`), or nil.
  public var stopToken: Int?
  /// Turns token ids back into text for the store.
  public var decode: @Sendable ([Int]) -> String

  /// Inputs with every field given.
  public init(
    corpus: [[Int]], sftTexts: [[Int]], rewardTexts: [[Int]], rewardLabels: [Int],
    judgeTexts: [[Int]], judgeLabels: [Int], classifierTestTexts: [[Int]] = [],
    classifierTestLabels: [Int] = [], rewardClass: Int, rewardSign: Double,
    trainPrompts: [[Int]], trainPromptIDs: [PromptID], evalPrompts: [[Int]],
    evalPromptIDs: [PromptID], perplexityTexts: [[Int]], padToken: Int,
    stopToken: Int? = nil, decode: @escaping @Sendable ([Int]) -> String
  ) {
    self.corpus = corpus
    self.sftTexts = sftTexts
    self.rewardTexts = rewardTexts
    self.rewardLabels = rewardLabels
    self.judgeTexts = judgeTexts
    self.judgeLabels = judgeLabels
    self.classifierTestTexts = classifierTestTexts
    self.classifierTestLabels = classifierTestLabels
    self.rewardClass = rewardClass
    self.rewardSign = rewardSign
    self.trainPrompts = trainPrompts
    self.trainPromptIDs = trainPromptIDs
    self.evalPrompts = evalPrompts
    self.evalPromptIDs = evalPromptIDs
    self.perplexityTexts = perplexityTexts
    self.padToken = padToken
    self.stopToken = stopToken
    self.decode = decode
  }

  /// Throws unless the paired arrays agree in size and the prompt sets are
  /// non-empty.
  func validate() throws {
    let pairs: [(String, Int, Int)] = [
      ("reward labels", rewardTexts.count, rewardLabels.count),
      ("judge labels", judgeTexts.count, judgeLabels.count),
      ("classifier test labels", classifierTestTexts.count, classifierTestLabels.count),
      ("training prompt ids", trainPrompts.count, trainPromptIDs.count),
      ("evaluation prompt ids", evalPrompts.count, evalPromptIDs.count),
    ]
    for (name, expected, got) in pairs where expected != got {
      throw RLHFError.shapeMismatch(name: name, expected: expected, got: got)
    }
    if trainPrompts.isEmpty { throw RLHFError.emptyInput(name: "training prompts") }
    if evalPrompts.isEmpty { throw RLHFError.emptyInput(name: "evaluation prompts") }
  }
}
