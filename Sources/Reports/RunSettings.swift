import Foundation

/// A run's settings as the report compares them: the members of its
/// `runs.config_json` (a flat JSON object of scalars) less `seed` and
/// `task`, each value as text (`2e-05`, `tiny`, `true`, `null`).
///
/// Runs of one task whose settings are equal are seeds of one
/// configuration; any other difference (preset, learning rate, …) makes
/// them different configurations.
enum RunSettings {
  /// The members that never split a group: `seed` varies within one, and
  /// `task` is kept apart as `RunGroup.task`.
  static let ignored: Set<String> = ["seed", "task"]

  /// The settings written in `json`, with `preset` added from the store's
  /// column when the JSON lacks it (a base or SFT stage's description).
  /// - Throws: `ReportError.invalidConfiguration` when `json` is not an
  ///   object of scalars.
  static func parse(
    _ json: String, preset: String, runID: Int64
  ) throws(ReportError) -> [String: String] {
    let members: [String: Scalar]
    do {
      members = try JSONDecoder().decode([String: Scalar].self, from: Data(json.utf8))
    } catch {
      throw .invalidConfiguration(
        runID: runID, reason: "config_json is not a JSON object of scalars")
    }
    var settings = members.filter { !ignored.contains($0.key) }.mapValues(\.text)
    if settings["preset"] == nil { settings["preset"] = preset }
    return settings
  }

  /// `settings` as `key=value` texts sorted by key, for labels; a value
  /// longer than 16 characters (a stage's hash) shows its first 8.
  static func labelParts(_ settings: [String: String]) -> [String] {
    settings.sorted { $0.key < $1.key }.map { key, value in
      "\(key)=\(value.count > 16 ? String(value.prefix(8)) : value)"
    }
  }

  /// Orders two values of one key: numerically when both are numbers,
  /// else by their text.
  static func precedes(_ lhs: String?, _ rhs: String?) -> Bool {
    guard let lhs else { return rhs != nil }
    guard let rhs else { return false }
    if let left = Double(lhs), let right = Double(rhs), left != right { return left < right }
    return lhs < rhs
  }

  /// Orders two settings by their members in key order.
  static func precedes(_ lhs: [String: String], _ rhs: [String: String]) -> Bool {
    for key in Set(lhs.keys).union(rhs.keys).sorted() where lhs[key] != rhs[key] {
      return precedes(lhs[key], rhs[key])
    }
    return false
  }

  /// A JSON scalar, kept as the text a label shows.
  private struct Scalar: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if container.decodeNil() {
        text = "null"
      } else if let value = try? container.decode(Bool.self) {
        text = String(value)
      } else if let value = try? container.decode(Int.self) {
        text = String(value)
      } else if let value = try? container.decode(Double.self) {
        text = (value == 0 ? 0.0 : value).description
      } else {
        text = try container.decode(String.self)
      }
    }
  }
}
