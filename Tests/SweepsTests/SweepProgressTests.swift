import Foundation
import Sweeps
import Testing

@Suite struct SweepProgressTests {
  @Test(arguments: [
    (0.4, "0s"), (42, "42s"), (59.6, "1m00s"), (245, "4m05s"),
    (7_380, "2h03m"),
  ])
  func durationsReadAsSecondsMinutesOrHours(
    seconds: Double, text: String
  ) {
    #expect(SweepProgress.duration(seconds) == text)
  }

  @Test func theLineCountsRunsAndShowsEachRunningIteration() {
    var progress = SweepProgress(pending: 9)
    progress.pending = 3
    progress.done = 3
    progress.failed = 1
    progress.running = [
      .init(name: "a", iterations: 2, planned: 4),
      .init(name: "b", iterations: 0, planned: nil),
    ]
    progress.elapsed = 120
    // 4 finished in 120 s: 30 s a run; 3 pending + 0.5 + 1 left over two
    // lanes: 4.5 × 30 / 2 = 67.5 s.
    #expect(progress.remaining == 67.5)
    #expect(
      progress.line
        == "3/9 done, 2 running (a 2/4, b 0/?), 1 failed, 3 pending; "
        + "2m00s elapsed, about 1m08s left")
  }

  @Test(arguments: [
    (200, "0/3 done, 2 running (imdb-rlhf-s1 1/4, imdb-rlhf-s2 3/4), 1 pending; 7s elapsed"),
    (60, "0/3 done, 2 running (1/4, 3/4), 1 pending; 7s elapsed"),
    (45, "0/3 done, 2 running, 1 pending; 7s elapsed"),
    (19, "0/3 done, 2 running"),
  ])
  func narrowTerminalsGetShorterLines(columns: Int, line: String) {
    var progress = SweepProgress(pending: 1)
    progress.running = [
      .init(name: "imdb-rlhf-s1", iterations: 1, planned: 4),
      .init(name: "imdb-rlhf-s2", iterations: 3, planned: 4),
    ]
    progress.elapsed = 7
    #expect(progress.line(fitting: columns) == line)
  }

  @Test func noEstimateBeforeTheFirstRunEnds() {
    var progress = SweepProgress(pending: 2)
    progress.elapsed = 5
    #expect(progress.remaining == nil)
    #expect(progress.line == "0/2 done, 2 pending; 5s elapsed")
  }
}
