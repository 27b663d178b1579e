import Foundation
import Models
import RLHF
import Tensors
import TextData
import Tracking

/// The RLHF engine's PPO iteration on TRL's reference workload (GPT-2
/// architecture with value head, vocabulary 8,192, d_model 128, 4 layers,
/// 4 heads; 64 episodes of 64 prompt + 48 response tokens; one minibatch of
/// 64; 4 PPO epochs; Adam lr 1.41e-5; adaptive KL; random weights, prompts
/// and scores), timed per phase, and the time to record each iteration in
/// a tracking store through `TrackingRecorder`.
///
/// With one thread the step's fraction of sgemm is measured in the same
/// process and in process CPU time: the FLOPs of the products the step
/// without sampling computes (`stepProducts`; five forward passes — the
/// policy's recorded rollout evaluation, the reference's no-grad pass and
/// the fresh passes of epochs 2–4 — and four backward passes, the first
/// epoch running its backward pass on the rollout's recording) over the
/// least CPU time of its measured iterations, divided by one core's
/// `cblas_sgemm` throughput on the same mix of products (`SgemmReference`,
/// least CPU time of 3 runs), least against least.
enum PPOStepBenchmark {
  static let batch = 64
  /// Forward and backward passes of the step without sampling.
  static let forwardPasses = 5
  static let backwardPasses = 4

  /// The products of one forward pass of the step: prompts and responses
  /// joined (64 + 48 positions), predictions from the first response
  /// token's on, with the value head.
  static var stepProducts: [EngineShape.Product] {
    let length = EngineShape.promptLength + EngineShape.newTokens
    return EngineShape.forwardProducts(
      batch: batch, length: length, first: EngineShape.promptLength - 1, valueHead: true)
  }

  static func run(_ options: BenchOptions) throws {
    let threads = try options.integer("threads", 1)
    let steps = try options.integer("steps", 5)
    let warmup = try options.integer("warmup", 2, minimum: 0)
    BLAS.setThreadCount(threads)

    let configuration = GPTConfiguration(
      vocabularySize: EngineShape.vocabulary, contextLength: 128,
      dModel: EngineShape.dModel, layerCount: EngineShape.layers,
      headCount: EngineShape.heads)
    var policyWeights = RandomGenerator(seed: 0)
    var referenceWeights = RandomGenerator(seed: 0)
    let policy = TimedPolicy(
      GPTPolicy(
        model: try GPT(configuration: configuration, valueHead: true, generator: &policyWeights),
        learningRate: 1.41e-5))
    let reference = TimedPolicy(
      GPTPolicy(
        model: try GPT(
          configuration: configuration, valueHead: true, generator: &referenceWeights)))
    var settings = PPOTrainerSettings(batchSize: batch)
    settings.maxNewTokens = EngineShape.newTokens
    let trainer = try PPOTrainer(
      settings: settings, policy: policy, reference: reference,
      rewardModel: RandomScorer(seed: 1234))

    let recording = try Recording()
    var prompts = RandomGenerator(seed: 1234)
    var rows: [[String: Double]] = []
    for iteration in 0..<(warmup + steps) {
      let batchPrompts = (0..<batch).map { _ in
        (0..<EngineShape.promptLength).map { _ in
          Int.random(in: 0..<EngineShape.vocabulary, using: &prompts)
        }
      }
      policy.reset()
      reference.reset()
      var result: IterationResult?
      let total = try Measurement.seconds {
        result = try trainer.step(prompts: batchPrompts, iteration: iteration)
      }
      guard let result else { continue }
      let recordSeconds = try Measurement.seconds { try recording.recorder.record(result) }
      let forward = policy.evaluation.wall + reference.evaluation.wall
      let (sampling, epochs) = (policy.sampling.wall, policy.optimisation.wall)
      let stepCPU =
        policy.evaluation.cpu + reference.evaluation.cpu + policy.optimisation.cpu
      Measurement.progress(
        "ppo step \(iteration): \(total) s (sampling \(sampling), forward \(forward), "
          + "epochs \(epochs); step without sampling \(stepCPU) s CPU; \(threads) threads)")
      if iteration >= warmup {
        rows.append([
          "total": total, "sampling": sampling, "forward": forward, "epochs": epochs,
          "other": total - sampling - forward - epochs, "record": recordSeconds,
          "step_cpu": stepCPU,
        ])
      }
    }

    try? FileManager.default.removeItem(at: recording.directory)
    func median(_ key: String) -> Double { Measurement.median(rows.map { $0[key] ?? 0 }) }
    let stepCPU = rows.map { $0["step_cpu"] ?? 0 }
    let flops = SgemmReference.flops(
      of: stepProducts, forwardPasses: forwardPasses, backwardPasses: backwardPasses)
    let achieved = flops / (stepCPU.min() ?? 1) / 1e9
    var fields: [String: Any] = [
      "benchmark": "ppo-step", "side": "rarlhf", "threads": threads,
      "iteration_s": median("total"), "sampling_s": median("sampling"),
      "forward_s": median("forward"), "ppo_epochs_s": median("epochs"),
      "other_s": median("other"), "step_without_sampling_s": median("total") - median("sampling"),
      "record_s": median("record"),
      "record_share": median("record") / (median("total") + median("record")),
      "iteration_times_s": rows.map { $0["total"] ?? 0 },
      "peak_rss_mib": Measurement.peakResidentMiB(),
      "parameters": policy.policy.model.parameters.reduce(0) { $0 + $1.value.count },
      "step_flops": flops, "step_cpu_s": stepCPU, "step_cpu_gflops_per_s": achieved,
    ]
    if threads == 1 {
      let reference = SgemmReference(products: stepProducts, repeats: 3)
      let ceiling = reference.gigaflopsPerSecond(
        forwardPasses: forwardPasses, backwardPasses: backwardPasses)
      fields["sgemm_gflops_per_s"] = ceiling
      fields["sgemm_fraction"] = achieved / ceiling
      Measurement.progress("ppo step: \(achieved) GFLOP/s in CPU time, sgemm \(ceiling)")
    }
    try Measurement.emit(fields)
  }

  /// A fresh tracking store with a registered run and the GPT-2 tokenizer
  /// to decode completions, as a training run records its iterations.
  struct Recording {
    let recorder: TrackingRecorder
    let directory: URL

    init() throws {
      directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("rarlhf-bench-ppo-\(UUID().uuidString)")
      try FileManager.default.createDirectory(
        at: directory, withIntermediateDirectories: true)
      let store = try Store(at: directory.appendingPathComponent("tracking.sqlite"))
      let tokenizer = try BPETokenizer.gpt2(in: try DataDirectory.resolve())
      let promptIDs = try store.upsert(
        prompts: (0..<batch).map {
          PromptRecord(task: "imdb", promptID: "bench-\($0)", text: "prompt \($0)")
        })
      let run = try store.register(
        RunSpec(
          identity: String(repeating: "cd", count: 32), name: "bench", task: "imdb",
          algorithm: .rlhf, preset: "tiny", seed: 0, configJSON: "{}"))
      try store.setStatus(.running, of: run)
      recorder = TrackingRecorder(
        store: store, run: run, decode: { tokenizer.decode($0) },
        promptIDs: { _ in promptIDs })
    }
  }
}
