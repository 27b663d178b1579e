import Configuration
import Testing

@testable import RLHF

@Suite struct SoftRiskScheduleTests {
  static func imdb() throws -> SoftRiskSchedule {
    try SoftRiskSchedule(alpha: 0.4, batchSize: 128, iterations: 194, warmStart: 30, rho: 0.95)
  }

  /// The paper's IMDB setting: 128 through iteration 30, 119 at 50, 94 at
  /// 100, 69 at 150, 52 from 184 on (⌈ρM⌉ = ⌈184.3⌉ = 185).
  @Test(arguments: [
    (0, 128), (30, 128), (31, 128), (50, 119), (100, 94), (150, 69),
    (183, 53), (184, 52), (185, 52), (193, 52), (500, 52),
  ])
  func imdbKeptCountsMatchThePaper(iteration: Int, kept: Int) throws {
    #expect(try Self.imdb().keptCount(at: iteration) == kept)
  }

  @Test func keptCountFallsMonotonicallyFromBToAlphaB() throws {
    let schedule = try Self.imdb()
    let counts = schedule.keptCounts()
    #expect(counts.count == 194)
    #expect(counts.first == 128)
    #expect(counts.last == 52)
    #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(schedule.rampEnd == 185)
  }

  /// Products that binary floating point rounds just above an integer must
  /// not gain one in the ceiling: 0.3 · 10 = 3.0000000000000004.
  @Test(arguments: [
    (0.4, 128, 52), (0.3, 10, 3), (0.7, 10, 7), (0.2, 128, 26), (0.1, 30, 3),
    (1.0, 7, 7), (0.05, 1, 1),
  ])
  func finalKeptCountIsAnExactCeiling(alpha: Double, batch: Int, expected: Int) throws {
    let schedule = try SoftRiskSchedule(
      alpha: alpha, batchSize: batch, iterations: 10, warmStart: 0, rho: 1)
    #expect(schedule.finalKeptCount == expected)
    #expect(schedule.keptCount(at: 10) == expected)
  }

  @Test func rampFollowsTheLinearFormulaBetweenWarmStartAndRampEnd() throws {
    // B = 10, α = 0.5, M = 10, n = 2, ρ = 0.6: ⌈ρM⌉ = 6, K = 0.5/4.
    // m = 3: ⌈10 · 0.875⌉ = 9; m = 4: ⌈10 · 0.75⌉ = 8 (exact);
    // m = 5: ⌈10 · 0.625⌉ = 7; m = 6: ⌈αB⌉ = 5.
    let schedule = try SoftRiskSchedule(
      alpha: 0.5, batchSize: 10, iterations: 10, warmStart: 2, rho: 0.6)
    #expect(schedule.keptCounts() == [10, 10, 10, 9, 8, 7, 5, 5, 5, 5])
  }

  @Test(arguments: [0.0, -0.1, 1.5, Double.nan])
  func alphaOutsideUnitIntervalIsRefused(alpha: Double) {
    #expect {
      _ = try SoftRiskSchedule(
        alpha: alpha, batchSize: 128, iterations: 194, warmStart: 30, rho: 0.95)
    } throws: { error in
      guard case RLHFError.invalidParameter(let name, _, let allowed) = error else { return false }
      return name.contains("α") && allowed == "in (0, 1]"
    }
  }

  @Test func rampEndNotAfterWarmStartIsRefused() {
    // ⌈0.1 · 194⌉ = 20 ≤ n = 30.
    #expect(throws: RLHFError.riskRampEmpty(rhoTimesIterations: 20, warmStart: 30)) {
      _ = try SoftRiskSchedule(
        alpha: 0.4, batchSize: 128, iterations: 194, warmStart: 30, rho: 0.1)
    }
    let message = RLHFError.riskRampEmpty(rhoTimesIterations: 20, warmStart: 30).description
    #expect(message.contains("⌈ρM⌉ = 20") && message.contains("n = 30"))
  }

  @Test func emptyTailIsRefused() {
    #expect(throws: RLHFError.emptyTail(alpha: 1e-12, batchSize: 1)) {
      _ = try SoftRiskSchedule(
        alpha: 1e-12, batchSize: 1, iterations: 10, warmStart: 0, rho: 1)
    }
  }

  /// The configuration and the schedule apply one rule for ⌈αB⌉: the
  /// run's `validate` refuses exactly the (α, B) the schedule refuses, and
  /// both compute the same kept count otherwise.
  @Test(arguments: [
    (1e-12, 1), (1e-12, 128), (1e-3, 1), (0.3, 10), (0.4, 128), (1.0, 7),
  ])
  func configurationAndScheduleAgreeOnTheFinalKeptCount(alpha: Double, batch: Int) throws {
    var configuration = RunConfiguration.defaults(task: .imdb, algorithm: .raRLHF, preset: .tiny)
    configuration.risk.alpha = alpha
    configuration.risk.warmStart = 0
    (configuration.ppo.batchSize, configuration.ppo.miniBatchSize) = (batch, batch)
    configuration.data.trainPrompts = 10 * batch
    let schedule = try? SoftRiskSchedule(
      alpha: alpha, batchSize: batch, iterations: 10, warmStart: 0, rho: 1)
    let accepted = (try? configuration.validate()) != nil
    #expect(accepted == (schedule != nil))
    #expect(
      configuration.risk.finalKeptCount(batchSize: batch) == (schedule?.finalKeptCount ?? 0))
  }

  @Test func nonPositiveSizesAreRefused() {
    #expect(throws: RLHFError.self) {
      _ = try SoftRiskSchedule(alpha: 0.4, batchSize: 0, iterations: 10, warmStart: 0, rho: 1)
    }
    #expect(throws: RLHFError.self) {
      _ = try SoftRiskSchedule(alpha: 0.4, batchSize: 8, iterations: 0, warmStart: 0, rho: 1)
    }
    #expect(throws: RLHFError.self) {
      _ = try SoftRiskSchedule(alpha: 0.4, batchSize: 8, iterations: 10, warmStart: -1, rho: 1)
    }
  }
}
