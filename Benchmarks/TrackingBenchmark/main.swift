// TrackingBenchmark: single-writer episode rows per second.
//
// Records iterations of a PPO-sized batch into a fresh store, one
// transaction per iteration as training does, with real prompt text and
// completion-length text from RealToxicityPrompts (prompts.jsonl in the data
// folder: $RARLHF_DATA, else ../shared/data). Prints the rate and its ratio
// to the 100,000 rows/s goal.
//
// usage: swift run -c release TrackingBenchmark [episodes] [batch]
import Foundation
import Tracking

/// Prompt texts and completion-length texts read from RealToxicityPrompts.
func loadTexts() throws -> (prompts: [String], completions: [String]) {
  let environment = ProcessInfo.processInfo.environment
  let root =
    environment["RARLHF_DATA"].map { URL(fileURLWithPath: $0) }
    ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    .appendingPathComponent("../shared/data")
  let file = root.appendingPathComponent("realtoxicityprompts/prompts.jsonl")
  let text = try String(contentsOf: file, encoding: .utf8)
  var prompts: [String] = []
  var continuations: [String] = []
  for line in text.split(separator: "\n") {
    guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
      let prompt = (object["prompt"] as? [String: Any])?["text"] as? String,
      let continuation = (object["continuation"] as? [String: Any])?["text"] as? String
    else { continue }
    prompts.append(prompt)
    continuations.append(continuation)
  }
  // About 48 GPT-2 tokens, the paper's response length: three continuations.
  let completions = continuations.indices.map { index in
    (0..<3).map { continuations[(index + $0) % continuations.count] }.joined()
  }
  return (prompts, completions)
}

/// User plus system CPU time of this process, in seconds.
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
  let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
  return user + system
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let totalEpisodes = arguments.first ?? 200_000
let batch = arguments.dropFirst().first ?? 256

do {
  let (promptTexts, completions) = try loadTexts()
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("rarlhf-bench-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let store = try Store(at: directory.appendingPathComponent("bench.sqlite"))
  let prompts = try store.upsert(
    prompts: promptTexts.enumerated().map { index, text in
      PromptRecord(task: "realtoxicityprompts", promptID: String(index), text: text)
    })
  let run = try store.register(
    RunSpec(
      identity: String(repeating: "ab", count: 32), name: "bench", task: "realtoxicityprompts",
      algorithm: .raRLHF, preset: "tiny", alpha: 0.4, warmStart: 30, rho: 0.95, seed: 1,
      configJSON: "{}"))
  try store.setStatus(.running, of: run)
  let iterations = (0..<(totalEpisodes / batch)).map { iteration in
    IterationRecord(
      iteration: iteration, keptCount: batch * 2 / 5, returnThreshold: -0.5, returnMean: 0.1,
      returnMeanKept: -1.2,
      statistics: [
        "env/reward_mean": 0.1, "env/reward_std": 0.9, "objective/kl": 0.02,
        "objective/entropy": 12.5, "ppo/loss/policy": -0.01, "ppo/loss/value": 0.3,
        "ppo/policy/clipfrac": 0.05, "time/ppo/total": 1.2,
      ],
      episodes: (0..<batch).map { position in
        let index = (iteration * batch + position) % prompts.count
        return EpisodeRecord(
          prompt: prompts[index], completion: completions[index], promptScore: -0.3,
          reward: Double(position) / Double(batch), kl: 0.015, returnValue: 0.4,
          responseLength: 48, inTail: position % 5 < 2)
      })
  }
  let episodes = iterations.count * batch
  let textBytes = iterations.reduce(0) { sum, iteration in
    sum + iteration.episodes.reduce(0) { $0 + $1.completion.utf8.count }
  }

  let cpuStart = cpuSeconds()
  let clock = ContinuousClock()
  let elapsed = try clock.measure {
    for iteration in iterations { try store.record(iteration, of: run) }
  }
  let cpu = cpuSeconds() - cpuStart

  let seconds =
    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  let info = try store.info()
  var load = [0.0, 0.0, 0.0]
  getloadavg(&load, 3)
  print("episodes: \(episodes) in \(iterations.count) iterations of \(batch)")
  print("completion text: \(textBytes / episodes) bytes per episode on average")
  print("file bytes: \(info.fileBytes)")
  print(
    "load average (1 min): \(String(format: "%.1f", load[0])) on \(ProcessInfo.processInfo.activeProcessorCount) cores"
  )
  for (name, time) in [("wall-clock", seconds), ("CPU", cpu)] {
    let rate = Double(episodes) / time
    print(
      "\(name): \(String(format: "%.3f", time)) s, \(Int(rate)) episode rows/s, "
        + "\(String(format: "%.2f", rate / 100_000))× the 100,000/s goal")
  }
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
