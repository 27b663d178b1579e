/// `--name value` options of a benchmark subcommand.
struct BenchOptions {
  private var values: [String: String] = [:]

  /// Parses `--name value` pairs.
  ///
  /// - Throws: `BenchError.badOption` for a word that is not an option or
  ///   an option without a value.
  init(_ arguments: [String]) throws(BenchError) {
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      guard word.hasPrefix("--"), index + 1 < arguments.count else {
        throw .badOption(name: word, value: "", allowed: "--name value pairs")
      }
      values[String(word.dropFirst(2))] = arguments[index + 1]
      index += 2
    }
  }

  /// The integer option `name`, at least `minimum`, or `fallback`.
  func integer(_ name: String, _ fallback: Int, minimum: Int = 1) throws(BenchError) -> Int {
    guard let text = values[name] else { return fallback }
    guard let value = Int(text), value >= minimum else {
      throw .badOption(name: name, value: text, allowed: "an integer ≥ \(minimum)")
    }
    return value
  }

  /// The text option `name`, or `fallback`.
  func text(_ name: String, _ fallback: String? = nil) -> String? {
    values[name] ?? fallback
  }
}
