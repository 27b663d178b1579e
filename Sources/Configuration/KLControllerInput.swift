/// What RA-RLHF feeds the adaptive KL controller each iteration.
public enum KLControllerInput: String, CaseIterable, Sendable, Codable {
  /// The masked KL sum over kept tokens divided by B, as the authors' code
  /// does; this produced the paper's tables.
  case code
  /// The mean KL over kept episodes, as the paper's text says.
  case paper
}
