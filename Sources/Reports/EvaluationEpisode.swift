/// One completion of an evaluation prompt (an `episodes` row of phase
/// `eval` joined with its prompt).
public struct EvaluationEpisode: Sendable, Hashable {
  /// `episodes.prompt_ref`, the prompt's `prompts.id`.
  public var promptRef: Int64
  /// `prompts.class`, e.g. `positive`/`negative` or `toxic`/`non-toxic`.
  public var promptClass: String?
  /// `episodes.prompt_score`: the reward model on the prompt alone.
  public var promptScore: Double?
  /// `episodes.reward`: the reward model on prompt and completion.
  public var reward: Double

  /// An evaluation episode; see the properties.
  public init(
    promptRef: Int64, promptClass: String?, promptScore: Double?,
    reward: Double
  ) {
    self.promptRef = promptRef
    self.promptClass = promptClass
    self.promptScore = promptScore
    self.reward = reward
  }
}
