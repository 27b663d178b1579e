import TextData

/// The key reference that `--help` prints.
extension ConfigurationKey {
  /// Every key with its symbol, summary, type, allowed values and default
  /// under each preset for `task`, two lines per key:
  ///
  ///     risk.alpha (α) [ra-rlhf only]: risk level: final kept fraction …
  ///         float, (0, 1]; default 0.4
  ///
  /// A default that differs between presets is listed per preset
  /// (`tiny 1, small 5, paper 30, gpt2 30`); `task` has none, `algorithm`
  /// and `preset` default to `rlhf` and `small`.
  public static func reference(task: TaskName) -> String {
    let presets = Preset.allCases.map {
      RunConfiguration.defaults(task: task, algorithm: .raRLHF, preset: $0)
    }
    return all.map { key in
      let symbol = key.symbol.map { " (\($0))" } ?? ""
      let only = key.algorithm.map { " [\($0.rawValue) only]" } ?? ""
      let shown = defaultText(of: key, in: presets)
      return "\(key.name)\(symbol)\(only): \(key.summary)\n"
        + "    \(key.domain.typeName), \(key.domain.allowed); default \(shown)"
    }.joined(separator: "\n")
  }

  private static func defaultText(
    of key: ConfigurationKey, in presets: [RunConfiguration]
  ) -> String {
    switch key.name {
    case "task": return "none (required)"
    case "algorithm": return Algorithm.rlhf.rawValue
    case "preset": return Preset.small.rawValue
    default: break
    }
    let defaults = presets.map { key.value(in: $0) }
    guard Set(defaults).count > 1 else { return display(defaults[0], key) }
    return zip(Preset.allCases, defaults).map {
      "\($0.rawValue) \(display($1, key))"
    }
    .joined(separator: ", ")
  }

  private static func display(
    _ value: ConfigurationValue, _ key: ConfigurationKey
  ) -> String {
    if case .null = value, case .optionalInteger(_, _, let none) = key.domain {
      return none
    }
    return value.description
  }
}
