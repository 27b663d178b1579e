/// The quantity RA-RLHF ranks episodes by when it keeps the α′ lowest.
public enum RiskRanking: String, CaseIterable, Sendable, Codable {
  /// The GAE return (γ, λ) of the KL-shaped reward at the first response
  /// token, as the authors' code does.
  case `return`
  /// The reward-model score of the completion alone.
  case score
}
