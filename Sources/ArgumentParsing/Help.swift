/// Help text generated from a `CommandSpec`.
extension Parser {
  /// The usage line of the command at `path`
  /// (`usage: rarlhf sweep run [options] FILE [key=value ...]`).
  public func usage(at path: [String]) -> String {
    let command = spec(at: path)
    var parts = ["usage:", ([root.name] + path).joined(separator: " ")]
    if !command.subcommands.isEmpty {
      parts.append("<command>")
    }
    parts.append("[options]")
    for positional in command.positionals {
      switch positional.arity {
      case .required: parts.append(positional.name)
      case .optional: parts.append("[\(positional.name)]")
      case .variadic(let minimum):
        parts.append(minimum > 0 ? "\(positional.name)..." : "[\(positional.name)...]")
      }
    }
    if command.acceptsOverrides { parts.append("[key=value ...]") }
    return parts.joined(separator: " ")
  }

  /// The full help of the command at `path`: abstract, usage, commands,
  /// arguments, options and discussion.
  public func help(at path: [String]) -> String {
    let command = spec(at: path)
    var lines = [command.abstract, "", usage(at: path)]

    if !command.subcommands.isEmpty {
      lines += ["", "commands:"]
      lines += rows(command.subcommands.map { ($0.name, $0.abstract) })
    }
    if !command.positionals.isEmpty {
      lines += ["", "arguments:"]
      lines += rows(command.positionals.map { ($0.name, $0.help) })
    }
    lines += ["", "options:"]
    let options = options(at: path).map { option in
      var name = option.short.map { "-\($0), " } ?? "    "
      name += "--\(option.name)"
      if option.kind != .flag { name += " \(option.valueName)" }
      return (name, option.help)
    }
    lines += rows(options + [("-h, --help", "Show this help.")])
    if !command.discussion.isEmpty {
      lines += ["", command.discussion]
    }
    if !command.subcommands.isEmpty {
      let name = ([root.name] + path).joined(separator: " ")
      lines += ["", "See '\(name) <command> --help' for a command's options."]
    }
    return lines.joined(separator: "\n")
  }

  private func rows(_ items: [(String, String)]) -> [String] {
    let width = min(28, (items.map(\.0.count).max() ?? 0) + 2)
    return items.map { name, text in
      let padding = String(repeating: " ", count: max(2, width - name.count))
      return "  " + name + padding + text
    }
  }
}
