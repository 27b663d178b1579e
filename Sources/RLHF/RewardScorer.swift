/// The reward model R(x, y).
public protocol RewardScorer: AnyObject {
  /// One score per episode: the reward model on prompt + response. An empty
  /// response asks for the score of the prompt alone.
  func scores(prompts: [[Int]], responses: [[Int]]) throws -> [Double]
}
