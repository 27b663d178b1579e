// rarlhf-bench: our side of `make bench`, one subcommand per benchmark,
// each printing one JSON line on stdout (progress on stderr).
//
// usage: rarlhf-bench <benchmark> [--name value ...]
//   train-step  --threads N --steps S --warmup W   engine step and sampling
//   sample      --threads N --runs R               KV-cache sampling alone
//   sgemm       --repeats R                        one core's sgemm GFLOP/s
//   ppo-step    --threads N --steps S --warmup W   PPO iteration by phase
//   tokenize    --limit N                          GPT-2 BPE MB/s on IMDB
//   tracking    --episodes N --batch B             episode rows per second
//   report      --runs N --cache FILE              report time
import Foundation

let benchmarks: [String: (BenchOptions) throws -> Void] = [
  "train-step": TrainStepBenchmark.run, "sample": SampleBenchmark.run,
  "sgemm": SgemmBenchmark.run,
  "ppo-step": PPOStepBenchmark.run, "tokenize": TokenizerBenchmark.run,
  "tracking": TrackingRateBenchmark.run, "report": ReportBenchmark.run,
]

let arguments = Array(CommandLine.arguments.dropFirst())
do {
  guard let name = arguments.first, let benchmark = benchmarks[name] else {
    throw BenchError.unknownCommand(
      arguments.first ?? "(none)", known: benchmarks.keys.sorted())
  }
  try benchmark(try BenchOptions(Array(arguments.dropFirst())))
} catch let error as BenchError {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(64)
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
