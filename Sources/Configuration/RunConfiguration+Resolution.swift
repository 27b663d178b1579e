import TextData
import YAML

/// Resolution of user settings into a configuration, and the reverse of
/// `canonicalJSON`.
extension RunConfiguration {
  /// The configuration the assignments describe, validated.
  ///
  /// `task` is required; `algorithm`, `preset` and `seed` default to
  /// `rlhf`, `small` and 0. Those four are read first and pick the preset's
  /// defaults; the other assignments are then applied in order, a later one
  /// replacing an earlier one of the same key.
  ///
  /// - Parameters:
  ///   - assignments: settings in the order given (file, then overrides).
  ///   - availablePrompts: training prompts of the task, when known; checks
  ///     that need M (at least one iteration, the `ppo.iterations` cap,
  ///     ⌈ρM⌉ > n) run only then, or on the bound `data.train_prompts` gives.
  /// - Throws: `ConfigurationError` for an unknown key, a wrong type, a value
  ///   out of range, a `risk.*` key on an RLHF run, a missing task, or a
  ///   broken rule across keys; positioned at the offending value.
  public static func resolve(
    _ assignments: [ConfigurationAssignment], availablePrompts: Int? = nil
  ) throws(ConfigurationError) -> RunConfiguration {
    var typed: [(key: ConfigurationKey, value: ConfigurationValue, mark: YAMLMark)] = []
    for assignment in assignments {
      let key = try ConfigurationKey.require(
        assignment.key, at: assignment.keyMark ?? assignment.mark)
      typed.append(
        (key, try key.value(from: assignment.value), assignment.mark))
    }
    func last(_ name: String) -> ConfigurationValue? {
      typed.last { $0.key.name == name }?.value
    }

    guard case .string(let taskName) = last("task"),
      let task = TaskName(rawValue: taskName)
    else {
      throw .missingKey(
        "task",
        allowed: TaskName.allCases.map(\.rawValue).joined(separator: ", "))
    }
    var configuration = defaults(task: task)
    for name in ["algorithm", "preset", "seed"] {
      if let value = last(name), let key = ConfigurationKey.named(name) {
        key.set(value, in: &configuration)
      }
    }
    configuration = defaults(
      task: task, algorithm: configuration.algorithm,
      preset: configuration.preset,
      seed: configuration.seed)

    var marks: [String: YAMLMark] = [:]
    for (key, value, mark) in typed {
      guard key.applies(to: configuration.algorithm) else {
        throw .notApplicable(
          key: key.name, algorithm: key.algorithm?.rawValue ?? "", at: mark)
      }
      key.set(value, in: &configuration)
      marks[key.name] = mark
    }
    try configuration.validate(availablePrompts: availablePrompts, marks: marks)
    return configuration
  }

  /// The configuration written by `canonicalJSON`, validated; keys it lacks
  /// take their preset defaults.
  ///
  /// - Throws: `ConfigurationError.unreadableJSON` for text that is not a
  ///   JSON object, else as `resolve(_:availablePrompts:)`.
  public init(canonicalJSON text: String) throws(ConfigurationError) {
    let pairs: [YAMLNode.Pair]
    do {
      pairs = try YAMLParser.parse(text, file: "configuration JSON").mapping()
    } catch {
      throw .unreadableJSON(error)
    }
    let assignments = pairs.map {
      ConfigurationAssignment(
        key: $0.key.scalarText ?? "", value: $0.value, keyMark: $0.key.mark)
    }
    self = try Self.resolve(assignments)
  }
}
