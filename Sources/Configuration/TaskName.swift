/// The benchmark a run fine-tunes for (PAPER.md, "Tasks and data").
public enum TaskName: String, CaseIterable, Sendable, Codable {
  /// IMDB movie reviews; reward: positive sentiment of the completion.
  case imdb
  /// Jigsaw Wikipedia comments; reward: minus the toxicity of the completion.
  case jigsaw
  /// RealToxicityPrompts; reward as for Jigsaw.
  case realtoxicityprompts
}
