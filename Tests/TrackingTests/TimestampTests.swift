import Foundation
import Testing

@testable import Tracking

@Suite("Timestamps")
struct TimestampTests {
  @Test(arguments: [
    (0.0, "1970-01-01T00:00:00.000Z"),
    (1_790_000_000.25, "2026-09-21T14:13:20.250Z"),
    (951_782_400.999, "2000-02-29T00:00:00.999Z"),
  ])
  func timesAreStoredAsFixedWidthUTCText(seconds: Double, text: String) throws {
    let date = Date(timeIntervalSince1970: seconds)

    #expect(Timestamp.text(date) == text)
    let parsed = try #require(Timestamp.date(text))
    #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.0005)
  }

  @Test(arguments: [
    "", "2026-09-21 14:13:20", "2026-09-21T14:13:20.25Z", "yyyy-09-21T14:13:20.250Z",
  ])
  func otherTextIsNotATime(text: String) {
    #expect(Timestamp.date(text) == nil)
  }
}
