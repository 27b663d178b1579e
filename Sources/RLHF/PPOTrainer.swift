import Foundation
import Tensors

/// The PPO loop of one RLHF or RA-RLHF run (paper Algorithm 1; TRL 0.7's
/// `PPOTrainer.step` as modified by the authors): roll out, score, shape,
/// estimate advantages, select the tail, then epochs of minibatch updates
/// driven by `PPOLoss`'s analytic gradients, then the KL controller.
///
/// Minibatches holding fewer than two kept tokens (possible only when the
/// minibatch is smaller than B under risk selection; the paper uses one
/// minibatch of B) are skipped: TRL would fail on their undefined variance.
public final class PPOTrainer {
  /// The run's settings.
  public let settings: PPOTrainerSettings
  /// The KL controller; its coefficient is β for the next iteration.
  public private(set) var klController: KLController
  let policy: any PPOPolicy
  let reference: any ReferencePolicy
  let rewardModel: any RewardScorer
  let loss: PPOLoss
  let estimator: AdvantageEstimator

  /// Makes a trainer.
  ///
  /// - Throws: `RLHFError.invalidParameter` from `settings.validate()`.
  public init(
    settings: PPOTrainerSettings, policy: any PPOPolicy, reference: any ReferencePolicy,
    rewardModel: any RewardScorer
  ) throws {
    try settings.validate()
    self.settings = settings
    self.policy = policy
    self.reference = reference
    self.rewardModel = rewardModel
    self.loss = try settings.lossFunction()
    self.estimator = try AdvantageEstimator(gamma: settings.gamma, lambda: settings.lambda)
    self.klController = try KLController(
      initialCoefficient: settings.initialKLCoefficient, rule: settings.klRule)
  }

  /// Sets β for the next iteration to a value saved in a checkpoint.
  ///
  /// - Throws: `RLHFError.invalidParameter` for β < 0 or not finite.
  public func restore(klCoefficient: Double) throws {
    try klController.restore(coefficient: klCoefficient)
  }

  /// Runs iteration `iteration` on a batch of B prompts.
  ///
  /// - Parameters:
  ///   - prompts: B prompts as token ids.
  ///   - iteration: m, 0-based; sets α′ and the random streams.
  /// - Throws: `RLHFError` for malformed model outputs (wrong counts or
  ///   lengths), `.nonFinite` naming the iteration and quantity for any NaN
  ///   or infinite score, loss or statistic; model errors pass through.
  public func step(prompts: [[Int]], iteration: Int) throws -> IterationResult {
    let clock = ContinuousClock()
    let started = clock.now
    let batchSize = settings.batchSize
    guard prompts.count == batchSize else {
      throw RLHFError.shapeMismatch(name: "prompts", expected: batchSize, got: prompts.count)
    }

    var sampling = Self.stream("sampling", settings.seed, iteration)
    let responses = try policy.sample(
      prompts: prompts, maxNewTokens: settings.maxNewTokens, seed: sampling.next())
    try checkResponses(responses)
    let scores = try rewardModel.scores(prompts: prompts, responses: responses)
    guard scores.count == batchSize else {
      throw RLHFError.shapeMismatch(name: "scores", expected: batchSize, got: scores.count)
    }
    try NonFiniteGuard.check(scores, "scores", iteration: iteration)
    let rollout = try policy.evaluate(prompts: prompts, responses: responses)
    let refLogProbs = try reference.logProbs(prompts: prompts, responses: responses)
    let rolledOut = clock.now

    let lengths = responses.map(\.count)
    let grid = try TokenGrid(batchSize: batchSize, length: lengths.max() ?? 1)
    let logProbs = try Self.padded(rollout.logProbs, lengths, grid, "log-probs")
    let values = try Self.padded(rollout.values, lengths, grid, "values")
    let refPadded = try Self.padded(refLogProbs, lengths, grid, "reference log-probs")
    try NonFiniteGuard.check(logProbs, "log-probs", iteration: iteration)
    try NonFiniteGuard.check(refPadded, "reference log-probs", iteration: iteration)
    try NonFiniteGuard.check(values, "values", iteration: iteration)
    let coefficient = klController.coefficient
    let batch = try PPOBatch(
      grid: grid, scores: scores, logProbs: logProbs, refLogProbs: refPadded,
      values: values, responseMask: try grid.responseMask(lengths: lengths),
      coefficient: coefficient, estimator: estimator,
      keptCount: settings.keptCount(at: iteration), ranking: settings.ranking)

    let minibatchStatistics = try optimise(
      batch, prompts: prompts, responses: responses, iteration: iteration)
    let optimised = clock.now

    var statistics = IterationStatistics.averaged(minibatchStatistics)
    for (name, value) in try IterationStatistics.batch(batch) { statistics[name] = value }
    statistics["ppo/skipped_minibatches"] =
      Double(settings.epochs * batchSize / settings.minibatchSize - minibatchStatistics.count)
    statistics["time/ppo/rollout"] = Self.seconds(rolledOut - started)
    statistics["time/ppo/optimize_step"] = Self.seconds(optimised - rolledOut)
    statistics["time/ppo/total"] = Self.seconds(clock.now - started)
    try NonFiniteGuard.check(statistics, iteration: iteration)

    let observed = settings.klInput.observedKL(
      episodeKL: batch.shaped.episodeKL, kept: batch.selection.inTail)
    klController.update(observedKL: observed, steps: batchSize)
    return Self.record(batch, responses: responses, iteration: iteration, statistics: statistics)
  }

  /// Runs iterations `firstIteration`, `firstIteration + 1`, … on the given
  /// prompt batches, handing each record to `recorder` before the next
  /// iteration starts (so an interrupted run keeps what it finished).
  ///
  /// - Parameters:
  ///   - promptBatches: B prompts per iteration, in iteration order.
  ///   - firstIteration: m of the first batch (non-zero when resuming).
  ///   - recorder: stores each iteration.
  /// - Throws: the first error of `step` or of the recorder.
  public func train(
    promptBatches: [[[Int]]], firstIteration: Int = 0, recorder: any IterationRecorder
  ) throws {
    for (offset, prompts) in promptBatches.enumerated() {
      try recorder.record(try step(prompts: prompts, iteration: firstIteration + offset))
    }
  }

  // MARK: - Steps

  /// Epochs of shuffled minibatch updates; returns each update's statistics.
  func optimise(
    _ batch: PPOBatch, prompts: [[Int]], responses: [[Int]], iteration: Int
  ) throws -> [[String: Double]] {
    var random = Self.stream("shuffle", settings.seed, iteration)
    var collected: [[String: Double]] = []
    let grid = batch.grid
    for _ in 0..<settings.epochs {
      let order = Array(0..<grid.batchSize).shuffled(using: &random)
      for start in stride(from: 0, to: grid.batchSize, by: settings.minibatchSize) {
        let rows = Array(order[start..<(start + settings.minibatchSize)])
        let minibatch = batch.minibatch(rows: rows)
        guard minibatch.mask.reduce(0, +) >= 2 else { continue }
        let rowPrompts = rows.map { prompts[$0] }
        let rowResponses = rows.map { responses[$0] }
        let lengths = rowResponses.map(\.count)
        let rowGrid = try TokenGrid(batchSize: rows.count, length: grid.length)
        var statistics: [String: Double] = [:]
        try policy.step(prompts: rowPrompts, responses: rowResponses) { current in
          let logProbs = try Self.padded(current.logProbs, lengths, rowGrid, "log-probs")
          let values = try Self.padded(current.values, lengths, rowGrid, "values")
          let entropies = try current.entropies.map {
            try Self.padded($0, lengths, rowGrid, "entropies")
          }
          let result = try loss.evaluate(
            minibatch, logProbs: logProbs, values: values, entropies: entropies)
          try NonFiniteGuard.check(result.totalLoss, "ppo/loss/total", iteration: iteration)
          statistics = result.statistics
          return ResponseGradient(
            logProbs: Self.ragged(result.logProbGradient, lengths, rowGrid),
            values: Self.ragged(result.valueGradient, lengths, rowGrid))
        }
        collected.append(statistics)
      }
    }
    return collected
  }

  func checkResponses(_ responses: [[Int]]) throws {
    guard responses.count == settings.batchSize else {
      throw RLHFError.shapeMismatch(
        name: "responses", expected: settings.batchSize, got: responses.count)
    }
    for (b, response) in responses.enumerated()
    where response.isEmpty || response.count > settings.maxNewTokens {
      throw RLHFError.invalidParameter(
        name: "length of response \(b)", value: Double(response.count),
        allowed: "in 1…\(settings.maxNewTokens)")
    }
  }

  static func record(
    _ batch: PPOBatch, responses: [[Int]], iteration: Int, statistics: [String: Double]
  ) -> IterationResult {
    let grid = batch.grid
    let selection = batch.selection
    let firstReturns = (0..<grid.batchSize).map { batch.returns[grid.index($0, 0)] }
    let keptReturns = zip(firstReturns, selection.inTail).filter(\.1).map(\.0)
    let episodes = (0..<grid.batchSize).map { b in
      IterationResult.Episode(
        position: b, response: responses[b], score: batch.scores[b],
        kl: batch.shaped.episodeKL[b], firstTokenReturn: firstReturns[b],
        inTail: selection.inTail[b])
    }
    return IterationResult(
      iteration: iteration, keptCount: selection.keptCount, threshold: selection.threshold,
      returnMean: firstReturns.reduce(0, +) / Double(grid.batchSize),
      returnMeanKept: keptReturns.reduce(0, +) / Double(max(1, keptReturns.count)),
      klCoefficient: batch.coefficient, statistics: statistics, episodes: episodes)
  }

  // MARK: - Layout

  /// Ragged per-episode arrays to a `[B, T]` grid, zero-padded.
  static func padded(
    _ ragged: [[Double]], _ lengths: [Int], _ grid: TokenGrid, _ name: String
  ) throws -> [Double] {
    try grid.checkRows(ragged, name)
    var flat = [Double](repeating: 0, count: grid.count)
    for (b, row) in ragged.enumerated() {
      guard row.count == lengths[b] else {
        throw RLHFError.shapeMismatch(
          name: "\(name) of episode \(b)", expected: lengths[b], got: row.count)
      }
      for (t, value) in row.enumerated() { flat[grid.index(b, t)] = value }
    }
    return flat
  }

  /// A `[B, T]` grid back to ragged rows of the given lengths.
  static func ragged(_ flat: [Double], _ lengths: [Int], _ grid: TokenGrid) -> [[Double]] {
    lengths.enumerated().map { b, count in
      Array(flat[grid.index(b, 0)..<grid.index(b, count)])
    }
  }

  /// The random stream `purpose` of one iteration, derived from the run's
  /// seed so that streams never shift one another.
  static func stream(_ purpose: String, _ seed: UInt64, _ iteration: Int) -> RandomGenerator {
    RandomGenerator(seed: seed).derived(purpose).derived(iteration)
  }

  static func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
  }
}
