import Configuration
import YAML

/// A sweep file, read and checked: its name, method, fixed settings, axes,
/// and `include`/`exclude` entries. `plan(overrides:availablePrompts:)`
/// expands it into runs.
///
/// The format follows W&B sweeps and Hydra multirun:
///
///     name: imdb-alpha          # unique name of the sweep
///     task: imdb
///     preset: small
///     method: grid              # or random, with count and seed
///     parameters:
///       algorithm: {values: [rlhf, ra-rlhf]}
///       risk.alpha: {values: [0.2, 0.4]}   # multiplies ra-rlhf runs only
///       seed: {values: [1, 2, 3]}
///       ppo.learning_rate: {value: 1.41e-5}
///     include: [{algorithm: ra-rlhf, risk.alpha: 0.3, risk.warm_start: 1}]
///     exclude: [{risk.alpha: 0.2, seed: 3}]
public struct Sweep: Sendable, Equatable {
  /// The fields of a sweep file.
  public static let fields = [
    "name", "description", "task", "preset", "method", "count", "seed",
    "parameters",
    "include", "exclude",
  ]

  /// The most combinations a sweep's parameters may have.
  public static let maximumGrid = 100_000

  /// The largest `count` of a random sweep.
  public static let maximumCount = 10_000

  /// `name`: the sweep's unique name (letters, digits, `.`, `_`, `-`).
  public private(set) var name: String
  /// `description`: free text, if given.
  public let summary: String?
  /// The file name, as positions print it.
  public let file: String
  /// The file's text, as read (recorded with the sweep).
  public let text: String
  /// `method`, with `count` and `seed` for random sweeps.
  public let method: SweepMethod
  /// `task` and `preset` when given at the top level.
  public let fixed: [ConfigurationAssignment]
  /// `parameters`, in file order.
  public let axes: [SweepAxis]
  /// `include` entries, in file order.
  public let includes: [SweepEntry]
  /// `exclude` entries, in file order.
  public let excludes: [SweepEntry]
  /// Where the file's top-level mapping starts.
  public let mark: YAMLMark
  /// Where `count` is written, for random sweeps.
  let countMark: YAMLMark?

  /// Reads and checks the sweep file at `path`.
  ///
  /// - Throws: `SweepError`, as `init(text:file:)`, or for an unreadable
  ///   file.
  public init(fileAt path: String) throws(SweepError) {
    let text = try Self.yaml { () throws(YAMLError) in try YAMLParser.read(path)
    }
    try self.init(text: text, file: path)
  }

  /// Reads and checks a sweep from `text`, naming `file` in positions.
  ///
  /// - Throws: `SweepError` for bad YAML, unknown or missing fields, unknown
  ///   keys (with a did-you-mean), values of the wrong type or out of range,
  ///   malformed or empty parameters, and keys set twice.
  public init(text: String, file: String) throws(SweepError) {
    let root: YAMLNode
    do {
      root = try YAMLParser.parse(text, file: file)
    } catch {
      throw .yaml(error)
    }
    try self.init(root: root, text: text, file: file)
  }

  private init(root: YAMLNode, text: String, file: String) throws(SweepError) {
    self.file = file
    self.text = text
    mark = root.mark
    guard let pairs = root.pairs else {
      throw .yaml(
        .typeMismatch(
          expected: "a mapping of sweep fields", got: root.kindDescription,
          at: root.mark))
    }
    var fields: [String: YAMLNode.Pair] = [:]
    for pair in pairs {
      let field = pair.key.scalarText ?? ""
      guard Self.fields.contains(field) else {
        if ConfigurationKey.named(field) != nil {
          throw .keyOutsideParameters(field, at: pair.key.mark)
        }
        throw .unknownField(field, allowed: Self.fields, at: pair.key.mark)
      }
      fields[field] = pair
    }

    guard let nameNode = fields["name"]?.value else {
      throw .missingField(
        "name", allowed: "letters, digits, '.', '_' and '-'", at: root.mark)
    }
    name = try Self.name(nameNode)
    summary = try fields["description"].map { pair throws(SweepError) in
      try Self.yaml { () throws(YAMLError) in try pair.value.string() }
    }
    method = try Self.method(fields, at: root.mark)
    countMark = fields["count"]?.value.mark
    var fixed: [ConfigurationAssignment] = []
    for field in ["task", "preset"] {
      guard let pair = fields[field] else { continue }
      let assignment = ConfigurationAssignment(
        key: field, value: pair.value, keyMark: pair.key.mark)
      _ = try Self.typed(assignment)
      fixed.append(assignment)
    }
    self.fixed = fixed
    axes = try Self.axes(
      fields["parameters"]?.value, fixed: fixed, method: method)
    includes = try Self.entries(fields["include"]?.value)
    excludes = try Self.entries(fields["exclude"]?.value)
  }

  // MARK: - Fields

  /// What a sweep name may hold, as errors state it.
  public static let nameRule =
    "letters, digits, '.', '_' and '-', starting with a letter or digit"

  /// Whether `text` is a valid sweep name: ASCII letters and digits, `.`,
  /// `_` and `-`, starting with a letter or digit.
  public static func isValidName(_ text: String) -> Bool {
    func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
      scalar.isASCII
        && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
    }
    return text.unicodeScalars.first.map(alphanumeric) == true
      && text.unicodeScalars.allSatisfy {
        alphanumeric($0) || "._-".unicodeScalars.contains($0)
      }
  }

  /// This sweep, recorded under `newName` instead of the file's name
  /// (`rarlhf sweep run --name`); `newName` must pass `isValidName(_:)`.
  public func renamed(to newName: String) -> Sweep {
    precondition(Self.isValidName(newName), "invalid sweep name '\(newName)'")
    var sweep = self
    sweep.name = newName
    return sweep
  }

  private static func name(_ node: YAMLNode) throws(SweepError) -> String {
    let text = try yaml { () throws(YAMLError) in try node.string() }
    guard isValidName(text) else {
      throw .invalidField(
        "name", got: "'\(text)'", allowed: nameRule, at: node.mark)
    }
    return text
  }

  private static func method(
    _ fields: [String: YAMLNode.Pair], at mark: YAMLMark
  ) throws(SweepError) -> SweepMethod {
    let node = fields["method"]?.value
    let text = try node.map { node throws(SweepError) in
      try yaml { () throws(YAMLError) in try node.string() }
    }
    switch text {
    case nil, "grid":
      if let pair = fields["count"] {
        throw .invalidField(
          "count", got: pair.value.kindDescription,
          allowed: "only with method: random", at: pair.key.mark)
      }
      if let pair = fields["seed"] {
        throw .invalidField(
          "seed", got: pair.value.kindDescription,
          allowed: "only with method: random, as the sampler's seed; run "
            + "seeds go under parameters as 'seed: {values: [...]}'",
          at: pair.key.mark)
      }
      return .grid
    case "random":
      guard let countNode = fields["count"]?.value else {
        throw .missingField(
          "count", allowed: "integers ≥ 1, with method: random", at: mark)
      }
      let count = try yaml { () throws(YAMLError) in try countNode.int() }
      guard (1...Self.maximumCount).contains(count) else {
        throw .invalidField(
          "count", got: "\(count)",
          allowed: "integers in [1, \(Self.maximumCount)]", at: countNode.mark)
      }
      var seed: UInt64 = 0
      if let seedNode = fields["seed"]?.value {
        let value = try yaml { () throws(YAMLError) in try seedNode.int() }
        guard value >= 0 else {
          throw .invalidField(
            "seed", got: "\(value)", allowed: "integers ≥ 0", at: seedNode.mark)
        }
        seed = UInt64(value)
      }
      return .random(count: count, seed: seed)
    case let other?:
      throw .invalidField(
        "method", got: "'\(other)'", allowed: "grid, random",
        at: node?.mark ?? mark)
    }
  }

  private static func axes(
    _ node: YAMLNode?, fixed: [ConfigurationAssignment], method: SweepMethod
  ) throws(SweepError) -> [SweepAxis] {
    guard let node, !node.isNull else { return [] }
    let pairs = try yaml { () throws(YAMLError) in try node.mapping() }
    var axes: [SweepAxis] = []
    for pair in pairs {
      let name = pair.key.scalarText ?? ""
      let key = try configuration { () throws(ConfigurationError) in
        try ConfigurationKey.require(name, at: pair.key.mark)
      }
      if let first = fixed.first(where: { $0.key == key.name }),
        let firstMark = first.keyMark
      {
        throw .setTwice(key.name, first: firstMark, at: pair.key.mark)
      }
      var axis = SweepAxis(
        key: key.name, keyMark: pair.key.mark, values: [], typed: [],
        distribution: nil,
        mark: pair.value.mark)
      let spec = try specification(pair.value, key: key.name)
      if let distributionNode = spec["distribution"] {
        if method == .grid {
          throw .invalidField(
            "distribution", got: distributionNode.kindDescription,
            allowed: "only with method: random", at: distributionNode.mark)
        }
        axis.distribution = try distribution(spec, node: pair.value, key: key)
      } else {
        axis.values = try values(spec, key: key.name)
        for (index, value) in axis.values.enumerated() {
          let next = try Self.typed(
            ConfigurationAssignment(key: key.name, value: value))
          if let first = axis.typed.firstIndex(of: next) {
            throw .repeatedValue(
              key.name, value: next.description, first: axis.values[first].mark,
              at: axis.values[index].mark)
          }
          axis.typed.append(next)
        }
      }
      axes.append(axis)
    }
    return axes
  }

  private static let specificationFields = [
    "values", "value", "distribution", "min", "max",
  ]

  /// The fields of a parameter's specification, checked to be one of
  /// `{value}`, `{values}` or `{distribution, min, max}`.
  private static func specification(
    _ spec: YAMLNode, key: String
  ) throws(SweepError) -> [String: YAMLNode] {
    guard let pairs = spec.pairs else {
      throw .malformedParameter(key, got: describe(spec), at: spec.mark)
    }
    var fields: [String: YAMLNode] = [:]
    for pair in pairs {
      let field = pair.key.scalarText ?? ""
      guard specificationFields.contains(field) else {
        throw .unknownField(
          field, allowed: specificationFields, at: pair.key.mark)
      }
      fields[field] = pair.value
    }
    let forms = [["value"], ["values"], ["distribution", "min", "max"]]
    guard forms.contains(where: { Set($0) == Set(fields.keys) }) else {
      if fields["distribution"] != nil, fields.count < 3 {
        let missing = ["min", "max"].first { fields[$0] == nil } ?? "min"
        throw .missingField(
          missing, allowed: "a number in the key's range", at: spec.mark)
      }
      throw .malformedParameter(key, got: describe(spec), at: spec.mark)
    }
    return fields
  }

  private static func values(_ spec: [String: YAMLNode], key: String)
    throws(SweepError)
    -> [YAMLNode]
  {
    if let value = spec["value"] { return [value] }
    guard let list = spec["values"] else { return [] }
    let items = try yaml { () throws(YAMLError) in try list.sequence() }
    guard !items.isEmpty else { throw .emptyValues(key, at: list.mark) }
    return items
  }

  private static func distribution(
    _ spec: [String: YAMLNode], node: YAMLNode, key: ConfigurationKey
  ) throws(SweepError) -> SweepDistribution {
    guard let nameNode = spec["distribution"], let minNode = spec["min"],
      let maxNode = spec["max"]
    else {
      throw .malformedParameter(key.name, got: describe(node), at: node.mark)
    }
    let name = try yaml { () throws(YAMLError) in try nameNode.string() }
    let low = try typed(ConfigurationAssignment(key: key.name, value: minNode))
    let high = try typed(ConfigurationAssignment(key: key.name, value: maxNode))
    let lowText = minNode.scalarText ?? low.description
    let highText = maxNode.scalarText ?? high.description
    let allowed: String
    switch key.domain {
    case .integer, .optionalInteger: allowed = "int_uniform"
    case .real: allowed = "uniform, log_uniform_values"
    case .boolean, .choice: allowed = "none: '\(key.name)' takes 'values'"
    }
    switch (name, low, high) {
    case ("int_uniform", .int(let min), .int(let max)):
      guard min < max, !max.subtractingReportingOverflow(min).overflow,
        max - min < Int.max
      else {
        throw .invalidField(
          "max", got: highText, allowed: "> min \(lowText)", at: maxNode.mark)
      }
      return .intUniform(min: min, max: max)
    case ("uniform", .real(let min), .real(let max)),
      ("log_uniform_values", .real(let min), .real(let max)):
      guard min < max else {
        throw .invalidField(
          "max", got: highText, allowed: "> min \(lowText)", at: maxNode.mark)
      }
      if name == "uniform" { return .uniform(min: min, max: max) }
      guard min > 0 else {
        throw .invalidField(
          "min", got: lowText, allowed: "> 0 for log_uniform_values",
          at: minNode.mark)
      }
      return .logUniform(min: min, max: max)
    default:
      let known = SweepDistribution.names.contains(name)
      throw .invalidField(
        "distribution", got: "'\(name)'",
        allowed: known
          ? "\(allowed) for '\(key.name)'"
          : SweepDistribution.names.joined(separator: ", "),
        at: nameNode.mark)
    }
  }

  private static func describe(_ node: YAMLNode) -> String {
    guard let pairs = node.pairs else { return node.kindDescription }
    let fields = pairs.compactMap(\.key.scalarText).map { "'\($0)'" }
    return fields.isEmpty
      ? "an empty mapping" : "fields " + fields.joined(separator: ", ")
  }

  private static func entries(_ node: YAMLNode?) throws(SweepError)
    -> [SweepEntry]
  {
    guard let node, !node.isNull else { return [] }
    let items = try yaml { () throws(YAMLError) in try node.sequence() }
    var entries: [SweepEntry] = []
    for item in items {
      let pairs = try yaml { () throws(YAMLError) in try item.mapping() }
      var assignments: [ConfigurationAssignment] = []
      var typed: [ConfigurationValue] = []
      for pair in pairs {
        let name = pair.key.scalarText ?? ""
        _ = try configuration { () throws(ConfigurationError) in
          try ConfigurationKey.require(name, at: pair.key.mark)
        }
        let assignment = ConfigurationAssignment(
          key: name, value: pair.value, keyMark: pair.key.mark)
        typed.append(try Self.typed(assignment))
        assignments.append(assignment)
      }
      entries.append(
        SweepEntry(mark: item.mark, assignments: assignments, typed: typed))
    }
    return entries
  }

  // MARK: - Errors

  static func typed(_ assignment: ConfigurationAssignment) throws(SweepError)
    -> ConfigurationValue
  {
    try configuration { () throws(ConfigurationError) in
      try ConfigurationKey.require(assignment.key, at: assignment.keyMark)
        .value(from: assignment.value)
    }
  }

  static func yaml<T>(_ body: () throws(YAMLError) -> T) throws(SweepError) -> T {
    do {
      return try body()
    } catch {
      throw .yaml(error)
    }
  }

  static func configuration<T>(
    _ body: () throws(ConfigurationError) -> T
  ) throws(SweepError) -> T {
    do {
      return try body()
    } catch {
      throw .configuration(error)
    }
  }
}
