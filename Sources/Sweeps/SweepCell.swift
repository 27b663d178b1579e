import Configuration

/// The settings of one run of a sweep before resolution: assignments in the
/// order they apply, with their typed values.
struct SweepCell {
  var assignments: [ConfigurationAssignment]
  var values: [ConfigurationValue]

  static let empty = SweepCell(assignments: [], values: [])

  /// The cell with `assignment` (typed `value`) applied after the others.
  func adding(_ assignment: ConfigurationAssignment, _ value: ConfigurationValue) -> SweepCell {
    SweepCell(assignments: assignments + [assignment], values: values + [value])
  }

  /// The last typed value of `key`, if the cell sets it.
  func value(of key: String) -> ConfigurationValue? {
    assignments.lastIndex { $0.key == key }.map { values[$0] }
  }

  /// The algorithm the cell's run will have (`rlhf` unless set).
  var algorithm: Algorithm {
    guard case .string(let name)? = value(of: "algorithm") else { return .rlhf }
    return Algorithm(rawValue: name) ?? .rlhf
  }

  /// The task the cell's run will have, if set.
  var task: TaskName? {
    guard case .string(let name)? = value(of: "task") else { return nil }
    return TaskName(rawValue: name)
  }

  /// The cell without assignments that do not apply to its algorithm
  /// (`risk.*` on RLHF runs), so risk axes multiply only RA-RLHF runs.
  var applicable: SweepCell {
    let algorithm = self.algorithm
    let kept = zip(assignments, values).filter {
      ConfigurationKey.named($0.0.key)?.applies(to: algorithm) ?? true
    }
    return SweepCell(assignments: kept.map(\.0), values: kept.map(\.1))
  }

  /// What makes two cells the same run: each key's final value.
  var signature: [String: ConfigurationValue] {
    var result: [String: ConfigurationValue] = [:]
    for (assignment, value) in zip(assignments, values) { result[assignment.key] = value }
    return result
  }

  /// Whether every setting of `entry` has the same value in the cell.
  func matches(_ entry: SweepEntry) -> Bool {
    zip(entry.assignments, entry.typed).allSatisfy { value(of: $0.0.key) == $0.1 }
  }

  /// Every combination of the axes' values after `self`, the first axis
  /// varying slowest; cells that differ only in inapplicable keys merge.
  func expanded(over axes: [SweepAxis]) -> [SweepCell] {
    var cells = [self]
    for axis in axes {
      cells = cells.flatMap { cell in
        axis.typed.indices.map { cell.adding(axis.assignment($0), axis.typed[$0]) }
      }
    }
    var seen: Set<[String: ConfigurationValue]> = []
    return cells.map(\.applicable).filter { seen.insert($0.signature).inserted }
  }
}
