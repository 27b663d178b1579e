import Models
import Tensors

/// One training step of `Models.GPT` on `Tensors` (the workload,
/// next-token cross-entropy, AdamW lr 1e-4 with PyTorch's default weight
/// decay 0.01, dropout 0.1 as in PyTorch's `train()` mode) and batched
/// KV-cache sampling; the same work as `Benchmarks/pytorch_train_step.py`.
///
/// Each step is timed on the wall clock (the median is compared with
/// PyTorch's) and in process CPU time. With one thread the step's fraction
/// of sgemm is measured in the same process and on the same clock: the
/// FLOPs of the products the step computes (`EngineShape.trainStepProducts`
/// and twice them for the backward pass; element-wise work not counted)
/// over the least CPU time of the measured steps, divided by one core's
/// `cblas_sgemm` throughput on those products (`SgemmReference`, least CPU
/// time of 3 runs), least against least.
enum TrainStepBenchmark {
  static func run(_ options: BenchOptions) throws {
    let threads = try options.integer("threads", 1)
    let steps = try options.integer("steps", 5)
    let warmup = try options.integer("warmup", 2, minimum: 0)
    BLAS.setThreadCount(threads)

    var generator = RandomGenerator(seed: 0)
    let model = try GPT(configuration: EngineShape.configuration, generator: &generator)
    let optimizer = AdamW(
      parameters: model.parameters, learningRate: 1e-4, weightDecay: 0.01)
    let rows = (0..<EngineShape.trainBatch).map { _ in
      (0..<EngineShape.trainLength).map { _ in
        Int.random(in: 0..<EngineShape.vocabulary, using: &generator)
      }
    }
    let batch = try TokenBatch(rows: rows)
    var dropout: RandomGenerator? = generator.derived("dropout")
    var times: [Double] = []
    var cpuTimes: [Double] = []
    for step in 0..<(warmup + steps) {
      let elapsed = try Measurement.timed {
        _ = try model.languageModelTrainingStep(batch, optimizer: optimizer, dropout: &dropout)
      }
      if step >= warmup {
        times.append(elapsed.wall)
        cpuTimes.append(elapsed.cpu)
      }
      Measurement.progress(
        "train step \(step): \(elapsed.wall) s, \(elapsed.cpu) s CPU (\(threads) threads)")
    }

    let prompts = try TokenBatch(
      rows: (0..<EngineShape.prompts).map { _ in
        (0..<EngineShape.promptLength).map { _ in
          Int.random(in: 0..<EngineShape.vocabulary, using: &generator)
        }
      })
    var sampleTimes: [Double] = []
    for run in 0..<3 {
      var stream = generator.derived(run)
      let elapsed = try Measurement.seconds {
        _ = try model.generate(
          prompts, newTokens: EngineShape.newTokens, generator: &stream)
      }
      if run > 0 { sampleTimes.append(elapsed) }
    }

    let step = Measurement.median(times)
    let sample = Measurement.median(sampleTimes)
    let flops = SgemmReference.flops(of: EngineShape.trainStepProducts)
    let achieved = flops / (cpuTimes.min() ?? 1) / 1e9
    var fields: [String: Any] = [
      "benchmark": "train-step", "side": "rarlhf", "threads": threads,
      "train_step_s": step, "train_step_times_s": times, "sample_s": sample,
      "sample_tokens_per_s": Double(EngineShape.prompts * EngineShape.newTokens) / sample,
      "peak_rss_mib": Measurement.peakResidentMiB(), "step_flops": flops,
      "step_gflops_per_s": flops / step / 1e9, "blas": BLAS.configuration,
      "train_step_cpu_s": cpuTimes, "step_cpu_gflops_per_s": achieved,
    ]
    if threads == 1 {
      let reference = SgemmReference(products: EngineShape.trainStepProducts, repeats: 3)
      fields["sgemm_gflops_per_s"] = reference.gigaflopsPerSecond()
      fields["sgemm_fraction"] = achieved / reference.gigaflopsPerSecond()
      Measurement.progress(
        "train step: \(achieved) GFLOP/s in CPU time, sgemm \(reference.gigaflopsPerSecond())")
    }
    try Measurement.emit(fields)
  }
}
