/// The settings that, with the data, a tokenizer and the seed, fix every
/// set of a task.
public struct TaskDataSettings: Sendable, Equatable {
  /// P, the number of tokens a prompt keeps: 64 (IMDB), 8 (Jigsaw), 32
  /// (RealToxicityPrompts) in the paper; at least 1.
  public var promptTokens: Int
  /// The seed of every draw and shuffle.
  public var seed: UInt64
  /// The evaluation set's size: IMDB test reviews drawn (5,000 in the
  /// paper); RealToxicityPrompts test prompts, half toxic (1,000); Jigsaw
  /// test comments drawn, or nil for all 7,708 as in the paper.
  public var evaluationCount: Int?
  /// The share of labeled texts that go to the judge classifier rather than
  /// the reward classifier, in (0, 1); split within each class.
  public var judgeFraction: Double
  /// Characters (Unicode scalars) kept from each perplexity text, at least
  /// 1; nil for the paper's cut of the task
  /// (`paperPerplexityCharacters`).
  public var perplexityCharacters: Int?

  /// Settings; see each property.
  public init(
    promptTokens: Int, seed: UInt64 = 0, evaluationCount: Int? = nil,
    judgeFraction: Double = 0.5, perplexityCharacters: Int? = nil
  ) {
    self.promptTokens = promptTokens
    self.seed = seed
    self.evaluationCount = evaluationCount
    self.judgeFraction = judgeFraction
    self.perplexityCharacters = perplexityCharacters
  }

  /// The paper's cut of perplexity texts: 1,000 characters for IMDB, 500
  /// for Jigsaw and RealToxicityPrompts.
  public static func paperPerplexityCharacters(_ task: TaskName) -> Int {
    task == .imdb ? 1_000 : 500
  }

  /// The characters kept from each perplexity text of `task`.
  func perplexityCharacters(for task: TaskName) -> Int {
    perplexityCharacters ?? Self.paperPerplexityCharacters(task)
  }

  /// The paper's settings for `task` with `seed`.
  public static func paper(_ task: TaskName, seed: UInt64 = 0) -> TaskDataSettings {
    switch task {
    case .imdb:
      TaskDataSettings(promptTokens: 64, seed: seed, evaluationCount: 5_000)
    case .jigsaw:
      TaskDataSettings(promptTokens: 8, seed: seed, evaluationCount: nil)
    case .realtoxicityprompts:
      TaskDataSettings(promptTokens: 32, seed: seed, evaluationCount: 1_000)
    }
  }

  /// Throws when a setting is outside its range.
  func validate() throws(TextDataError) {
    guard promptTokens >= 1 else {
      throw .invalidSetting(
        name: "prompt tokens", value: "\(promptTokens)", allowed: "at least 1")
    }
    if let evaluationCount, evaluationCount < 1 {
      throw .invalidSetting(
        name: "evaluation count", value: "\(evaluationCount)",
        allowed: "at least 1")
    }
    if let perplexityCharacters, perplexityCharacters < 1 {
      throw .invalidSetting(
        name: "perplexity characters", value: "\(perplexityCharacters)",
        allowed: "at least 1")
    }
    guard judgeFraction > 0, judgeFraction < 1 else {
      throw .invalidSetting(
        name: "judge fraction", value: "\(judgeFraction)", allowed: "in (0, 1)")
    }
  }
}
