import Configuration
import Testing

@testable import RLHF

@Suite struct PPOTrainerSettingsTests {
  /// The `paper` preset for IMDB RA-RLHF gives the paper's hyper-parameters
  /// and its kept-count schedule over M = 194.
  @Test func paperPresetMapsToThePaperSettings() throws {
    let configuration = RunConfiguration.defaults(
      task: .imdb, algorithm: .raRLHF, preset: .paper, seed: 3)
    let settings = try PPOTrainerSettings(configuration, iterations: 194)
    #expect(settings.batchSize == 128 && settings.minibatchSize == 128)
    #expect(settings.epochs == 4 && settings.maxNewTokens == 48)
    #expect(settings.gamma == 1 && settings.lambda == 0.95)
    #expect(settings.clipRange == 0.2 && settings.valueClipRange == 0.2)
    #expect(settings.valueCoefficient == 0.1 && settings.initialKLCoefficient == 0.2)
    #expect(settings.klRule == .adaptive(target: 6, horizon: 10_000))
    #expect(settings.seed == 3)
    #expect(settings.keptCount(at: 100) == 94)
    #expect(settings.keptCount(at: 190) == 52)
  }

  @Test func rlhfKeepsTheWholeBatch() throws {
    let configuration = RunConfiguration.defaults(task: .jigsaw, algorithm: .rlhf, preset: .paper)
    let settings = try PPOTrainerSettings(configuration, iterations: 288)
    #expect(settings.riskSchedule == nil)
    #expect(settings.keptCount(at: 287) == 128)
  }

  @Test func fixedControllerAndBadScheduleComeThrough() throws {
    var configuration = RunConfiguration.defaults(
      task: .imdb, algorithm: .raRLHF, preset: .tiny)
    configuration.ppo.adaptiveKLControl = false
    #expect(try PPOTrainerSettings(configuration, iterations: 4).klRule == .fixed)
    configuration.risk.warmStart = 10  // ⌈ρM⌉ = ⌈0.95 · 4⌉ = 4 ≤ 10
    #expect(throws: RLHFError.riskRampEmpty(rhoTimesIterations: 4, warmStart: 10)) {
      _ = try PPOTrainerSettings(configuration, iterations: 4)
    }
  }
}
