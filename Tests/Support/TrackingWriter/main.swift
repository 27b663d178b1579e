// TrackingWriter: a worker process for the tracking tests. It records one
// run into a store the way a training process does (one transaction per
// iteration, a heartbeat with each) and prints `committed <iteration>` on
// stdout after each commit, so a test can kill it at a known point.
//
// usage: TrackingWriter <store> <run-label> <iterations> <episodes-per-iteration>
// A run already in the store resumes after its last recorded iteration.
// With TRACKING_WRITER_START_FILE set, it registers its run, prints `ready`
// and waits (up to 60 s) until that file exists before its first iteration,
// so a test can start several writers at once.
import Checksums
import Foundation
import Tracking

/// The run's arguments, read from the command line.
struct Arguments {
  let store: URL
  let label: String
  let iterations: Int
  let episodes: Int

  init(_ arguments: [String]) throws(TrackingError) {
    guard arguments.count == 5, let iterations = Int(arguments[3]),
      let episodes = Int(arguments[4]), iterations >= 0, episodes >= 1
    else {
      throw .invalidValue(
        field: "arguments", value: arguments.dropFirst().joined(separator: " "),
        allowed: "<store> <run-label> <iterations ≥ 0> <episodes-per-iteration ≥ 1>")
    }
    store = URL(fileURLWithPath: arguments[1])
    label = arguments[2]
    self.iterations = iterations
    self.episodes = episodes
  }
}

/// Records the run; returns when every iteration is recorded.
func write(_ arguments: Arguments) throws(TrackingError) {
  let store = try Store(at: arguments.store)
  let prompts = try store.upsert(
    prompts: (0..<64).map { index in
      PromptRecord(
        task: "imdb", promptID: "train/pos/\(index)_8.txt",
        promptClass: index % 2 == 0 ? "positive" : "negative",
        text: "I rented this movie because the cover said \"\(index)\", and")
    })
  let config = "{\"label\":\"\(arguments.label)\",\"seed\":1}"
  let spec = RunSpec(
    identity: SHA256.hex(of: config), name: arguments.label, task: "imdb",
    algorithm: .raRLHF, preset: "tiny", alpha: 0.4, warmStart: 2, rho: 0.95, seed: 1,
    configJSON: config, iterationsPlanned: arguments.iterations)
  let run = try store.register(spec)
  try store.setStatus(.running, of: run)
  let first = (try store.lastIteration(of: run)).map { $0 + 1 } ?? 0
  waitForStartFile()
  for iteration in first..<max(first, arguments.iterations) {
    let episodes = (0..<arguments.episodes).map { position in
      EpisodeRecord(
        prompt: prompts[position % prompts.count],
        completion: "it=\(iteration) pos=\(position) the acting was \"fine\", "
          + "I guess;\nthe plot, however, was not — \(position % 7) stars",
        promptScore: Double(position % 5) / 5, reward: Double(position) / 100,
        kl: 0.01 * Double(iteration), returnValue: Double(position % 11) - 5,
        responseLength: 20 + position % 28, inTail: position % 3 == 0)
    }
    try store.record(
      IterationRecord(
        iteration: iteration, keptCount: arguments.episodes / 3, returnThreshold: -1,
        returnMean: 0, returnMeanKept: -3,
        statistics: [
          "env/reward_mean": Double(iteration), "objective/kl": 0.1,
          "ppo/loss/policy": -0.01, "time/ppo/total": 1.5,
        ],
        episodes: episodes),
      of: run)
    FileHandle.standardOutput.write(Data("committed \(iteration)\n".utf8))
  }
  try store.setStatus(.done, of: run)
}

/// Prints `ready` and waits for `TRACKING_WRITER_START_FILE` when it is set.
func waitForStartFile() {
  guard let path = ProcessInfo.processInfo.environment["TRACKING_WRITER_START_FILE"]
  else { return }
  FileHandle.standardOutput.write(Data("ready\n".utf8))
  let deadline = Date().addingTimeInterval(60)
  while !FileManager.default.fileExists(atPath: path), Date() < deadline {
    usleep(5_000)
  }
}

do {
  try write(Arguments(CommandLine.arguments))
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
