import Foundation

/// Number formatting shared by the renderers and the gnuplot scripts.
enum NumberText {
  /// Fixed-point text with `decimals` places; NaN as `NaN`, infinities as
  /// `inf`/`-inf`, and no negative zero (`-0.00` reads `0.00`).
  static func fixed(_ value: Double, decimals: Int) -> String {
    if let special = special(value) { return special }
    let text = String(format: "%.\(decimals)f", value)
    let isZero = text.allSatisfy { "-0.".contains($0) }
    return isZero && text.hasPrefix("-") ? String(text.dropFirst()) : text
  }

  /// The shortest text that reads back as the same `Double` (full
  /// precision); NaN as `NaN`, infinities as `inf`/`-inf`.
  static func exact(_ value: Double) -> String {
    if let special = special(value) { return special }
    if value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return "\(value)"
  }

  /// A configuration value such as α or ρ as written (`0.4`, `30`).
  static func parameter(_ value: Double?) -> String {
    guard let value else { return "" }
    return exact(value)
  }

  private static func special(_ value: Double) -> String? {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return nil
  }
}
