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
enum PPOStepBenchmark {
  static let batch = 64

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
      let forward = policy.evaluation + reference.evaluation
      Measurement.progress(
        "ppo step \(iteration): \(total) s (sampling \(policy.sampling), forward \(forward), "
          + "epochs \(policy.optimisation); \(threads) threads)")
      if iteration >= warmup {
        rows.append([
          "total": total, "sampling": policy.sampling, "forward": forward,
          "epochs": policy.optimisation,
          "other": total - policy.sampling - forward - policy.optimisation,
          "record": recordSeconds,
        ])
      }
    }

    try? FileManager.default.removeItem(at: recording.directory)
    func median(_ key: String) -> Double { Measurement.median(rows.map { $0[key] ?? 0 }) }
    try Measurement.emit([
      "benchmark": "ppo-step", "side": "rarlhf", "threads": threads,
      "iteration_s": median("total"), "sampling_s": median("sampling"),
      "forward_s": median("forward"), "ppo_epochs_s": median("epochs"),
      "other_s": median("other"), "step_without_sampling_s": median("total") - median("sampling"),
      "record_s": median("record"),
      "record_share": median("record") / (median("total") + median("record")),
      "iteration_times_s": rows.map { $0["total"] ?? 0 },
      "peak_rss_mib": Measurement.peakResidentMiB(),
      "parameters": policy.policy.model.parameters.reduce(0) { $0 + $1.value.count },
    ])
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
