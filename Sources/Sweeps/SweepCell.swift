import Configuration
import TextData

/// The settings of one run of a sweep before resolution: assignments in the
/// order they apply, with their typed values.
struct SweepCell {
  var assignments: [ConfigurationAssignment]
  var values: [ConfigurationValue]

  static let empty = SweepCell(assignments: [], values: [])

  /// The cell with `assignment` (typed `value`) applied after the others.
  func adding(
    _ assignment: ConfigurationAssignment, _ value: ConfigurationValue
  ) -> SweepCell {
    SweepCell(assignments: assignments + [assignment], values: values + [value])
  }

  /// The cell with `other`'s assignments applied after its own.
  func appending(_ other: SweepCell) -> SweepCell {
    SweepCell(
      assignments: assignments + other.assignments,
      values: values + other.values)
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

  /// The cell without assignments that do not apply to its run's
  /// algorithm (`risk.*` on RLHF runs), so risk axes multiply only RA-RLHF
  /// runs; the algorithm is the one `overrides` leave.
  func applicable(after overrides: SweepCell = .empty) -> SweepCell {
    let algorithm = appending(overrides).algorithm
    let kept = zip(assignments, values).filter {
      ConfigurationKey.named($0.0.key)?.applies(to: algorithm) ?? true
    }
    return SweepCell(assignments: kept.map(\.0), values: kept.map(\.1))
  }

  /// What makes two cells the same run: each key's final value.
  var signature: [String: ConfigurationValue] {
    var result: [String: ConfigurationValue] = [:]
    for (assignment, value) in zip(assignments, values) {
      result[assignment.key] = value
    }
    return result
  }

  /// Whether every setting of `entry` has the same value in the cell.
  func matches(_ entry: SweepEntry) -> Bool {
    zip(entry.assignments, entry.typed).allSatisfy {
      value(of: $0.0.key) == $0.1
    }
  }

  /// Every combination of the axes' values after `self`, the first axis
  /// varying slowest; cells that differ only in keys inapplicable once
  /// `overrides` apply merge.
  func expanded(over axes: [SweepAxis], overrides: SweepCell) -> [SweepCell] {
    var cells = [self]
    for axis in axes {
      cells = cells.flatMap { cell in
        axis.typed.indices.map {
          cell.adding(axis.assignment($0), axis.typed[$0])
        }
      }
    }
    var seen: Set<[String: ConfigurationValue]> = []
    return cells.map { $0.applicable(after: overrides) }
      .filter { seen.insert($0.signature).inserted }
  }
}
