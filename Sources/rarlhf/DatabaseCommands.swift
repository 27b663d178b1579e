import ArgumentParsing
import Foundation
import Tracking

/// `rarlhf db info`, `rarlhf db export --csv` and `rarlhf db merge SHARD...`.
struct DatabaseCommands {
  let parsed: ParsedCommand
  let console: Console

  /// The database named by `--db`, or the default `runs/rarlhf.sqlite`.
  static func databaseURL(_ parsed: ParsedCommand) -> URL {
    URL(fileURLWithPath: parsed.value("db") ?? "runs/rarlhf.sqlite")
  }

  /// Opens an existing database read-only; a missing file is an error that
  /// names it rather than an empty new database.
  static func openExisting(_ parsed: ParsedCommand) throws -> Store {
    let url = databaseURL(parsed)
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw UsageFailure(
        description: "no database at '\(url.path)' (run a sweep first, or give --db FILE)")
    }
    return try Store(at: url, options: .readOnly)
  }

  func info() throws {
    let store = try Self.openExisting(parsed)
    console.result(try store.info(staleAfter: RunLiveness.staleAfter).description)
  }

  /// Merges each shard into the database (created when missing), one
  /// transaction per shard, and prints what each added; a shard merged
  /// before adds nothing.
  func merge() throws {
    let store = try RunCommand.openStore(parsed)
    let shards = parsed.positionalList("SHARD")
    let database = store.url.standardizedFileURL.path
    for shard in shards where URL(fileURLWithPath: shard).standardizedFileURL.path == database {
      throw UsageFailure(
        description: "shard '\(shard)' is the database it would be merged into; "
          + "give shards other than \(database)")
    }
    for shard in shards where !FileManager.default.fileExists(atPath: shard) {
      throw UsageFailure(description: "no shard at '\(shard)'")
    }
    // A damaged shard is named before anything is merged (errors of the
    // merge itself name the database the shard is attached to).
    for shard in shards {
      try Store(at: URL(fileURLWithPath: shard), options: .readOnly).checkSound()
    }
    var total = MergeSummary()
    for shard in shards {
      let added = try store.merge(shardAt: URL(fileURLWithPath: shard))
      console.result("\(shard): \(Self.describe(added))")
      total = total + added
    }
    console.info(
      "merged \(Self.count(total.shards, "shard")) into \(store.url.path): "
        + Self.describe(total))
  }

  private static func describe(_ summary: MergeSummary) -> String {
    "\(count(summary.runs, "new run")), \(count(summary.iterations, "iteration")), "
      + "\(count(summary.episodes, "episode")), "
      + "\(count(summary.evaluations, "evaluation metric")) added"
  }

  /// `1 shard`, `2 shards`: `count` and `noun`, plural unless one.
  static func count(_ count: Int, _ noun: String) -> String {
    count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
  }

  func export() throws {
    guard parsed.flag("csv") else {
      throw UsageError.missingArgument("--csv (the export format)")
    }
    let store = try Self.openExisting(parsed)
    let folder = URL(fileURLWithPath: parsed.value("out") ?? ".")
    for url in try store.exportCSV(toDirectory: folder) {
      console.result(url.path)
    }
  }
}

/// How long a running run may stay silent before it counts as crashed.
enum RunLiveness {
  /// Seconds without a heartbeat after which a `running` run is `crashed`;
  /// runs send one at least every iteration and every 30 s.
  static let staleAfter: TimeInterval = 180
}
