import Foundation

/// Times as stored: ISO 8601 UTC text with milliseconds,
/// `2026-12-03T18:49:00.123Z`.
///
/// The fixed width makes text order equal time order, so SQL can compare
/// stored times directly (`heartbeat_at < ?`).
enum Timestamp {
  /// `date` as stored text.
  static func text(_ date: Date) -> String {
    let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
    var seconds = time_t(Int64((milliseconds / 1000).rounded(.down)))
    let fraction = Int(milliseconds - Double(seconds) * 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(
      format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%03ldZ", Int(parts.tm_year) + 1900,
      Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
      Int(parts.tm_sec), fraction)
  }

  /// The date stored as `text`, or `nil` when it is not in the stored form.
  static func date(_ text: String) -> Date? {
    let digits = Array(text.utf8)
    guard digits.count == 24 else { return nil }
    func number(_ start: Int, _ count: Int) -> Int? {
      var value = 0
      for byte in digits[start..<start + count] {
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      return value
    }
    guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
      let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
      let millisecond = number(20, 3)
    else { return nil }
    var parts = tm()
    parts.tm_year = Int32(year - 1900)
    parts.tm_mon = Int32(month - 1)
    parts.tm_mday = Int32(day)
    parts.tm_hour = Int32(hour)
    parts.tm_min = Int32(minute)
    parts.tm_sec = Int32(second)
    let seconds = timegm(&parts)
    return Date(timeIntervalSince1970: Double(seconds) + Double(millisecond) / 1000)
  }
}
