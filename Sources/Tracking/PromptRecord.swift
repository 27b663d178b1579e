/// A prompt of a task, as stored in `prompts`; unique by task and prompt id.
public struct PromptRecord: Hashable, Sendable {
  /// The task: `imdb`, `jigsaw` or `realtoxicityprompts`.
  public var task: String
  /// The prompt's id within its task's data (a file line, a dataset key).
  public var promptID: String
  /// The prompt's class (`positive`, `negative`, `toxic`, ...), if any.
  public var promptClass: String?
  /// The prompt text.
  public var text: String
  /// The reward model's score of the prompt alone; `nil` until known (an
  /// upsert with `nil` keeps a score already stored).
  public var score: Double?

  /// A prompt; see the properties.
  public init(
    task: String, promptID: String, promptClass: String? = nil, text: String,
    score: Double? = nil
  ) {
    self.task = task
    self.promptID = promptID
    self.promptClass = promptClass
    self.text = text
    self.score = score
  }
}
