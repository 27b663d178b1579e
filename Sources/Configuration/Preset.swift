/// A named set of defaults for every key, scaled to a time budget.
///
/// The values themselves live in `RunConfiguration+Presets.swift`.
public enum Preset: String, CaseIterable, Sendable, Codable {
  /// An end-to-end test on real data in about a minute on two cores.
  case tiny
  /// The default: a complete run in a few minutes.
  case small
  /// The paper's RLHF hyper-parameters on a larger model trained here.
  case paper
  /// GPT-2 124M with GPT-2's tokenizer and the paper's hyper-parameters.
  case gpt2
}
