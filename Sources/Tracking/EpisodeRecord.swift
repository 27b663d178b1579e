/// One episode (a prompt and its sampled completion with their rewards), as
/// stored in `episodes`.
///
/// An episode's `position` is its index in the array it is recorded with.
/// NaN values are stored as `NULL`.
public struct EpisodeRecord: Hashable, Sendable {
  /// The prompt, from ``Store/upsert(prompts:)``.
  public var prompt: PromptID
  /// The sampled completion text.
  public var completion: String
  /// The reward model's score of the prompt alone.
  public var promptScore: Double?
  /// The reward model's score of prompt and completion.
  public var reward: Double?
  /// The judge's score of prompt and completion (evaluation).
  public var judgeReward: Double?
  /// The KL divergence from the reference model summed over the completion.
  public var kl: Double?
  /// The episode's return: the KL-shaped reward summed over its tokens.
  public var returnValue: Double?
  /// The completion's length in tokens (≥ 0).
  public var responseLength: Int
  /// Whether the episode is among the α′ kept episodes of its iteration's
  /// tail; required for training episodes, ignored for evaluation episodes.
  public var inTail: Bool?

  /// An episode; see the properties.
  public init(
    prompt: PromptID, completion: String, promptScore: Double? = nil,
    reward: Double?, judgeReward: Double? = nil, kl: Double? = nil,
    returnValue: Double? = nil, responseLength: Int, inTail: Bool? = nil
  ) {
    self.prompt = prompt
    self.completion = completion
    self.promptScore = promptScore
    self.reward = reward
    self.judgeReward = judgeReward
    self.kl = kl
    self.returnValue = returnValue
    self.responseLength = responseLength
    self.inTail = inTail
  }
}
