/// A task of the paper: the data set its prompts, evaluation sets and texts
/// come from.
public enum TaskName: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
  /// IMDB movie reviews (sentiment); reward: positive-class logit.
  case imdb
  /// Jigsaw toxic comments; reward: minus the toxic logit.
  case jigsaw
  /// RealToxicityPrompts; reward: minus the toxic logit.
  case realtoxicityprompts

  /// The task named `name`, exactly as spelled in `allCases`.
  ///
  /// - Throws: `TextDataError.unknownTask` listing the task names.
  public init(parsing name: String) throws(TextDataError) {
    guard let task = TaskName(rawValue: name) else { throw .unknownTask(name) }
    self = task
  }

  /// The task's name, as typed on the command line.
  public var description: String { rawValue }
}
