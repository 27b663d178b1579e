/// A task of the paper: the data set its prompts, evaluation sets and texts
/// come from.
///
/// Note: the name shadows Swift concurrency's `Task` in files that import
/// this module; write `_Concurrency.Task` there for the other one.
public enum Task: String, CaseIterable, Sendable, CustomStringConvertible {
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
    guard let task = Task(rawValue: name) else { throw .unknownTask(name) }
    self = task
  }

  public var description: String { rawValue }
}
