/// Display names of the tasks stored in `runs.task`.
enum TaskName {
  /// `IMDB`, `Jigsaw`, `RealToxicityPrompts`, or the stored name itself.
  static func display(_ task: String) -> String {
    switch task {
    case "imdb": return "IMDB"
    case "jigsaw": return "Jigsaw"
    case "realtoxicityprompts": return "RealToxicityPrompts"
    default: return task
    }
  }
}
