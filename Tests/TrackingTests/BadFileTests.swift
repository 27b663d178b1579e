import Checksums
import Foundation
import Testing

@testable import Tracking

/// Files the store must refuse with an error naming them, without writing.
@Suite("Bad files")
struct BadFileTests {
  /// A store of three iterations, closed, its WAL checkpointed into the file.
  static func closedStore(in directory: URL) throws -> URL {
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    for iteration in 0..<3 {
      try store.record(Fixtures.iteration(iteration, episodes: 200, prompts: prompts), of: run)
    }
    return store.url
  }

  enum Damage: String, CaseIterable, Sendable {
    case textFile, truncatedToHalf, truncatedMidPage, zeroedPages
  }

  @Test(arguments: Damage.allCases)
  func damagedFileIsRefusedNamingItAndLeftUntouched(_ damage: Damage) throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url = try Self.closedStore(in: directory)
    let bytes = try Data(contentsOf: url)
    let damaged: Data
    switch damage {
    case .textFile: damaged = Data("run,reward\n1,0.5\n".utf8)
    case .truncatedToHalf: damaged = bytes.prefix(bytes.count / 2 / 4096 * 4096)
    case .truncatedMidPage: damaged = bytes.prefix(bytes.count - 1000)
    case .zeroedPages:
      var zeroed = bytes
      zeroed.replaceSubrange(4096..<bytes.count, with: Data(count: bytes.count - 4096))
      damaged = zeroed
    }
    try damaged.write(to: url)
    let before = SHA256.hex(of: damaged)

    let error = #expect(throws: TrackingError.self) {
      let store = try Store(at: url)
      _ = try store.info()
    }

    let caught = try #require(error)
    switch (damage, caught) {
    case (.textFile, .notADatabase(let path)), (_, .corrupt(let path, _)):
      #expect(path == url.path)
    default:
      Issue.record("unexpected error for \(damage): \(caught)")
    }
    #expect(caught.description.hasPrefix(url.path))
    #expect(try SHA256.hex(of: Data(contentsOf: url)) == before)
  }

  @Test func aMissingFolderIsReportedWithTheFile() throws {
    let url = URL(fileURLWithPath: "/nonexistent-rarlhf/sub/store.sqlite")

    let error = #expect(throws: TrackingError.self) { try Store(at: url) }

    guard case .cannotOpen(let path, _) = try #require(error) else {
      Issue.record("expected cannotOpen, got \(String(describing: error))")
      return
    }
    #expect(path == url.path)
  }

  /// Permission bits make the folder or file read-only for a normal user;
  /// root ignores them, so for root it is made immutable with `chattr +i`,
  /// which needs a filesystem that supports it.
  @Test(
    .enabled(
      if: ReadOnlyMaking.available != nil,
      "root on a filesystem without chattr +i: nothing makes a file read-only for root"),
    arguments: [false, true])
  func aReadOnlyLocationIsRefusedNamingTheFile(existingFile: Bool) throws {
    let making = try #require(ReadOnlyMaking.available)
    let directory = try Fixtures.temporaryDirectory()
    let url = directory.appendingPathComponent("store.sqlite")
    var locked = directory.path
    if existingFile {
      _ = try Self.closedStore(in: directory)
      locked = url.path
    }
    try making.lock(locked)
    defer {
      try? making.unlock(locked)
      Fixtures.remove(directory)
    }

    let error = #expect(throws: TrackingError.self) { try Store(at: url) }

    guard case .readOnly(let path, _) = try #require(error) else {
      Issue.record("expected readOnly, got \(String(describing: error))")
      return
    }
    #expect(path == url.path)
    if existingFile {
      #expect(
        try Fixtures.count(Store(at: url, options: .readOnly), "SELECT count(*) FROM episodes")
          == 600)
    }
  }

  @Test func aFullDiskRollsBackTheIterationAndKeepsEveryEarlierOne() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let url: URL
    let recorded: Int
    do {
      let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
      let pages = try Fixtures.count(store, "PRAGMA page_count")
      let limited = try Store(
        at: store.url, options: Store.Options(maximumPageCount: pages + 60))
      var iteration = 0
      var failure: TrackingError?
      while failure == nil, iteration < 1000 {
        do {
          try limited.record(
            Fixtures.iteration(iteration, episodes: 100, prompts: prompts), of: run)
          iteration += 1
        } catch {
          failure = error
        }
      }
      guard case .full(let path, _) = try #require(failure) else {
        Issue.record("expected a full database, got \(String(describing: failure))")
        return
      }
      #expect(path == store.url.path)
      #expect(iteration > 0)
      #expect(try limited.lastIteration(of: run) == iteration - 1)
      url = store.url
      recorded = iteration
    }

    let reopened = try Store(at: url)
    #expect(try reopened.integrityProblems().isEmpty)
    #expect(try Fixtures.count(reopened, "SELECT count(*) FROM iterations") == recorded)
    #expect(try Fixtures.count(reopened, "SELECT count(*) FROM episodes") == recorded * 100)
    #expect(try Fixtures.count(reopened, "SELECT count(*) FROM iteration_stats") == recorded * 4)
    let run = try #require(try reopened.runs().first)
    let prompts = try reopened.upsert(prompts: Fixtures.prompts(8))
    try reopened.record(Fixtures.iteration(recorded, episodes: 100, prompts: prompts), of: run.id)
    #expect(try reopened.lastIteration(of: run.id) == recorded)
  }
}

/// A way to make a file or folder read-only for this process.
enum ReadOnlyMaking {
  /// `chmod` to read-only bits: enough for anyone but root.
  case permissions
  /// `chattr +i`: stops root too, where the filesystem supports it.
  case immutable

  /// The way that works here: permission bits unless running as root, then
  /// `chattr +i` if a trial file accepts it; nil when neither works.
  static let available: ReadOnlyMaking? = {
    guard geteuid() == 0 else { return .permissions }
    let probe = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-chattr-\(UUID().uuidString)")
    guard FileManager.default.createFile(atPath: probe.path, contents: Data()) else {
      return nil
    }
    defer {
      _ = try? run(chattr: "-i", probe.path)
      try? FileManager.default.removeItem(at: probe)
    }
    return (try? run(chattr: "+i", probe.path)) == true ? .immutable : nil
  }()

  /// Makes `path` read-only.
  func lock(_ path: String) throws {
    switch self {
    case .permissions: try setPermissions(of: path, writable: false)
    case .immutable: try #require(try Self.run(chattr: "+i", path), "chattr +i \(path) failed")
    }
  }

  /// Makes `path` writable again.
  func unlock(_ path: String) throws {
    switch self {
    case .permissions: try setPermissions(of: path, writable: true)
    case .immutable: try #require(try Self.run(chattr: "-i", path), "chattr -i \(path) failed")
    }
  }

  private func setPermissions(of path: String, writable: Bool) throws {
    var isDirectory: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    let mode: Int = isDirectory.boolValue ? (writable ? 0o755 : 0o555) : (writable ? 0o644 : 0o444)
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
  }

  /// Runs `chattr flag path`; true when it succeeded.
  private static func run(chattr flag: String, _ path: String) throws -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
    process.arguments = [flag, path]
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}
