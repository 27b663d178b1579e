/// The fine-tuning algorithm of a run.
public enum Algorithm: String, CaseIterable, Sendable, Codable {
  /// PPO-based RLHF on every episode of the batch (the baseline).
  case rlhf
  /// RA-RLHF: PPO on the α′ lowest-return episodes of each batch, α′ from the
  /// soft-risk schedule (CVaR_α of the return).
  case raRLHF = "ra-rlhf"
}
