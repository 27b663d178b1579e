/// A named set of defaults for every key, scaled to a time budget.
///
/// The values themselves live in `RunConfiguration+Presets.swift`.
public enum Preset: String, CaseIterable, Sendable, Codable {
  /// An end-to-end test on real data in about a minute on two cores.
  case tiny
  /// The default: a complete run in a few minutes.
  case small
  /// The paper's RL, data and evaluation settings (B = 128, every training
  /// prompt, its token counts, learning rate, KL control and schedule) on
  /// the `small` model, trained here: hours per sweep on two cores.
  case paper
  /// GPT-2 124M with GPT-2's tokenizer and the paper's hyper-parameters.
  case gpt2
}
