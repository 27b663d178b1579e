/// A language model that completes prompts (the policy, or a base or SFT
/// model under evaluation).
public protocol ResponseSampler: AnyObject {
  /// Samples one response per prompt (top-k 0, top-p 1 in the paper), each of
  /// 1…`maxNewTokens` tokens, using only `seed` for randomness.
  func sample(prompts: [[Int]], maxNewTokens: Int, seed: UInt64) throws -> [[Int]]
}
