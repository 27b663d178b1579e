/// Parses command lines against a tree of `CommandSpec`s.
///
/// Supported forms: `--name value`, `--name=value`, `-s value`, `-svalue`,
/// grouped short flags (`-qv`), repeated options, `--` to end options,
/// `key=value` overrides (each key once) for commands that accept them, and
/// `--help`/`-h` anywhere. Options declared on a group apply to all of its
/// subcommands, so global options may stand before or after the subcommand.
public struct Parser: Sendable {
  /// The root command (the executable itself).
  public let root: CommandSpec

  /// Creates a parser for the command tree under `root`.
  public init(root: CommandSpec) {
    self.root = root
  }

  /// Parses `arguments` (without the program name).
  ///
  /// - Throws: `UsageError` for anything that does not fit the declared shape.
  public func parse(_ arguments: [String]) throws(UsageError) -> ParsedCommand {
    var result = ParsedCommand()
    var command = root
    var options = root.options
    var words: [String] = []
    var index = 0
    var optionsEnded = false

    while index < arguments.count {
      let word = arguments[index]
      index += 1
      if optionsEnded {
        words.append(word)
        continue
      }
      if word == "--" {
        optionsEnded = true
      } else if word == "--help" || word == "-h" {
        result.helpRequested = true
      } else if word.hasPrefix("--") {
        try parseLong(word, options: options, arguments, &index, into: &result)
      } else if word.hasPrefix("-") && word.count > 1 && Double(word) == nil {
        try parseShort(word, options: options, arguments, &index, into: &result)
      } else if !command.subcommands.isEmpty && words.isEmpty {
        guard let next = command.subcommands.first(where: { $0.name == word }) else {
          if result.helpRequested { break }
          throw .unknownCommand(
            word, group: fullName(result.path),
            expected: command.subcommands.map(\.name))
        }
        command = next
        options += next.options
        result.path.append(word)
      } else {
        words.append(word)
      }
    }

    if result.helpRequested { return result }
    if !command.subcommands.isEmpty {
      throw .missingCommand(
        group: fullName(result.path), expected: command.subcommands.map(\.name))
    }
    try assign(words, to: command, into: &result)
    return result
  }

  /// The spec reached by following `path` from the root; the root when the
  /// path does not match.
  public func spec(at path: [String]) -> CommandSpec {
    var command = root
    for word in path {
      guard let next = command.subcommands.first(where: { $0.name == word }) else {
        break
      }
      command = next
    }
    return command
  }

  /// Options in force at `path`: those of the command and of its ancestors.
  public func options(at path: [String]) -> [OptionSpec] {
    var command = root
    var options = root.options
    for word in path {
      guard let next = command.subcommands.first(where: { $0.name == word }) else {
        break
      }
      command = next
      options += next.options
    }
    return options
  }

  // MARK: - Options

  private func parseLong(
    _ word: String, options: [OptionSpec], _ arguments: [String],
    _ index: inout Int, into result: inout ParsedCommand
  ) throws(UsageError) {
    let body = word.dropFirst(2)
    let name: String
    var inlineValue: String?
    if let equals = body.firstIndex(of: "=") {
      name = String(body[..<equals])
      inlineValue = String(body[body.index(after: equals)...])
    } else {
      name = String(body)
    }
    guard let option = options.first(where: { $0.name == name }) else {
      let names = options.map { "--\($0.name)" } + ["--help"]
      throw .unknownOption(
        "--\(name)", suggestion: Spelling.closest(to: "--\(name)", among: names))
    }
    if option.kind == .flag {
      if inlineValue != nil { throw .unexpectedValue(option: name) }
      result.options[name, default: []].append("")
      return
    }
    let value: String
    if let inlineValue {
      value = inlineValue
    } else {
      value = try takeValue(for: option, arguments, &index)
    }
    result.options[name, default: []].append(value)
  }

  private func parseShort(
    _ word: String, options: [OptionSpec], _ arguments: [String],
    _ index: inout Int, into result: inout ParsedCommand
  ) throws(UsageError) {
    var letters = Substring(word.dropFirst())
    while let letter = letters.first {
      letters = letters.dropFirst()
      guard let option = options.first(where: { $0.short == letter }) else {
        throw .unknownOption("-\(letter)", suggestion: nil)
      }
      if option.kind == .flag {
        result.options[option.name, default: []].append("")
        continue
      }
      var rest = String(letters)
      if rest.hasPrefix("=") { rest.removeFirst() }
      let value = rest.isEmpty ? try takeValue(for: option, arguments, &index) : rest
      result.options[option.name, default: []].append(value)
      return
    }
  }

  private func takeValue(
    for option: OptionSpec, _ arguments: [String], _ index: inout Int
  ) throws(UsageError) -> String {
    guard index < arguments.count else {
      throw .missingValue(option: option.name, valueName: option.valueName)
    }
    let value = arguments[index]
    if value.hasPrefix("--") {
      throw .missingValue(option: option.name, valueName: option.valueName)
    }
    index += 1
    return value
  }

  // MARK: - Positionals and overrides

  private func assign(
    _ words: [String], to command: CommandSpec, into result: inout ParsedCommand
  ) throws(UsageError) {
    var remaining: [String] = []
    for word in words {
      if let equals = word.firstIndex(of: "="), !word.hasPrefix("/"),
        !word.hasPrefix(".")
      {
        guard command.acceptsOverrides else { throw .overridesNotAccepted(word) }
        let key = String(word[..<equals])
        guard !key.isEmpty else { throw .malformedOverride(word) }
        let value = String(word[word.index(after: equals)...])
        if let first = result.overrides.first(where: { $0.key == key }) {
          throw .repeatedOverride(key: key, first: first.value, second: value)
        }
        result.overrides.append(Override(key: key, value: value))
      } else {
        remaining.append(word)
      }
    }

    var position = 0
    for positional in command.positionals {
      switch positional.arity {
      case .required:
        guard position < remaining.count else { throw .missingArgument(positional.name) }
        result.positionals[positional.name] = [remaining[position]]
        position += 1
      case .optional:
        if position < remaining.count {
          result.positionals[positional.name] = [remaining[position]]
          position += 1
        }
      case .variadic(let minimum):
        let taken = Array(remaining[position...])
        guard taken.count >= minimum else { throw .missingArgument(positional.name) }
        result.positionals[positional.name] = taken
        position = remaining.count
      }
    }
    if position < remaining.count {
      throw .unexpectedArgument(remaining[position])
    }
  }

  private func fullName(_ path: [String]) -> String {
    ([root.name] + path).joined(separator: " ")
  }
}

extension Parser {
  /// The subcommand words at the start of `arguments` that name known
  /// commands, skipping options; used to show the right usage after an error.
  public func commandPath(for arguments: [String]) -> [String] {
    var command = root
    var path: [String] = []
    for word in arguments where !word.hasPrefix("-") {
      guard let next = command.subcommands.first(where: { $0.name == word }) else {
        break
      }
      command = next
      path.append(word)
    }
    return path
  }
}
