import Foundation

/// Timing, memory and output helpers shared by the benchmarks.
enum Measurement {
  /// Seconds taken by `body`, on the monotonic clock.
  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  /// Process CPU seconds (user + system, every thread;
  /// `CLOCK_PROCESS_CPUTIME_ID`) taken by `body`. Unlike wall-clock time it
  /// does not count waiting for a core that other processes hold, so it
  /// stays meaningful on a loaded machine.
  static func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = processCPUTime()
    try body()
    return processCPUTime() - start
  }

  /// Wall-clock and process CPU seconds taken by `body`.
  static func timed(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    var cpu = 0.0
    let wall = try seconds { cpu = try cpuSeconds(body) }
    return (wall, cpu)
  }

  private static func processCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }

  /// The median of `values` (mean of the middle two for an even count).
  static func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of no values")
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// The process's peak resident set size, MiB (`ru_maxrss`).
  static func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
  }

  /// The 1-minute load average of the machine.
  static func loadAverage() -> Double {
    var load = [0.0, 0.0, 0.0]
    getloadavg(&load, 3)
    return load[0]
  }

  /// Prints one JSON object on a line of stdout, keys sorted.
  static func emit(_ fields: [String: Any]) throws {
    var fields = fields
    fields["load_1min"] = loadAverage()
    let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
  }

  /// Says what is happening on stderr.
  static func progress(_ message: String) {
    FileHandle.standardError.write(Data("rarlhf-bench: \(message)\n".utf8))
  }
}
