import Configuration

/// Checks shared by the supervised stages.
enum StageChecks {
  static func validate(_ settings: TrainingSettings, name: String) throws {
    guard settings.epochs >= 0 else {
      throw RLHFError.invalidParameter(
        name: "\(name) epochs", value: Double(settings.epochs), allowed: "at least 0")
    }
    guard settings.batchSize >= 1 else {
      throw RLHFError.invalidParameter(
        name: "\(name) batch size", value: Double(settings.batchSize), allowed: "at least 1")
    }
    guard settings.learningRate > 0, settings.learningRate.isFinite else {
      throw RLHFError.invalidParameter(
        name: "\(name) learning rate", value: settings.learningRate, allowed: "finite and > 0")
    }
  }
}
