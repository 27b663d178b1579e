import Models
import Tensors

/// Batched KV-cache sampling alone, the sampling phase of `ppo-step` and
/// `train-step` (64 prompts × 64 random tokens, 48 new tokens, the engine
/// shape), repeated so a profiler sees nothing else.
enum SampleBenchmark {
  static func run(_ options: BenchOptions) throws {
    let threads = try options.integer("threads", 1)
    let runs = try options.integer("runs", 5)
    BLAS.setThreadCount(threads)

    var generator = RandomGenerator(seed: 0)
    let model = try GPT(configuration: EngineShape.configuration, generator: &generator)
    let prompts = try TokenBatch(
      rows: (0..<EngineShape.prompts).map { _ in
        (0..<EngineShape.promptLength).map { _ in
          Int.random(in: 0..<EngineShape.vocabulary, using: &generator)
        }
      })
    var times: [Double] = []
    var cpuTimes: [Double] = []
    for run in 0...runs {
      var stream = generator.derived(run)
      let elapsed = try Measurement.timed {
        _ = try model.generate(prompts, newTokens: EngineShape.newTokens, generator: &stream)
      }
      Measurement.progress("sample \(run): \(elapsed.wall) s, \(elapsed.cpu) s CPU")
      // The first run warms the allocator and the caches.
      if run > 0 {
        times.append(elapsed.wall)
        cpuTimes.append(elapsed.cpu)
      }
    }
    try Measurement.emit([
      "benchmark": "sample", "side": "rarlhf", "threads": threads,
      "sample_s": Measurement.median(times), "sample_times_s": times,
      "sample_cpu_s": cpuTimes, "peak_rss_mib": Measurement.peakResidentMiB(),
    ])
  }
}
