import Foundation

/// Times as the store writes them (`2026-01-31T12:00:00.000Z`, UTC with
/// milliseconds), for the few updates the sweep code writes in SQL.
enum StoreTime {
  /// `date` in the store's format.
  static func text(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
