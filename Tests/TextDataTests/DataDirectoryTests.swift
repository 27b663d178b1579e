import Foundation
import Testing

@testable import TextData

@Suite struct DataDirectoryTests {
  /// A working directory with `data/` and `../shared/data` as asked.
  static func workspace(local: Bool, shared: Bool) throws -> URL {
    let root = try TestData.temporaryFolder()
    let work = root.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    if local {
      try FileManager.default.createDirectory(
        at: work.appendingPathComponent("data"), withIntermediateDirectories: true)
    }
    if shared {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent("shared/data"), withIntermediateDirectories: true)
    }
    return work
  }

  @Test func resolvesInTheDocumentedOrder() throws {
    let work = try Self.workspace(local: true, shared: true)
    let other = try TestData.temporaryFolder()
    let explicit = try DataDirectory.resolve(
      explicit: other.path, environment: ["RARLHF_DATA": work.path],
      workingDirectory: work)
    #expect(explicit.origin == .explicit && explicit.url.path == other.standardizedFileURL.path)
    let fromEnvironment = try DataDirectory.resolve(
      environment: ["RARLHF_DATA": other.path], workingDirectory: work)
    #expect(fromEnvironment.origin == .environment)
    let local = try DataDirectory.resolve(environment: [:], workingDirectory: work)
    #expect(local.origin == .workingDirectory)
    #expect(local.url.lastPathComponent == "data")
    let sharedOnly = try Self.workspace(local: false, shared: true)
    let shared = try DataDirectory.resolve(environment: [:], workingDirectory: sharedOnly)
    #expect(shared.origin == .shared)
    #expect(shared.url.path.hasSuffix("/shared/data"))
  }

  @Test func missingDirectoriesAreErrors() throws {
    let work = try Self.workspace(local: false, shared: false)
    #expect(throws: TextDataError.noDataDirectory(tried: ["--data /nowhere"])) {
      try DataDirectory.resolve(explicit: "/nowhere", workingDirectory: work)
    }
    #expect(throws: TextDataError.noDataDirectory(tried: ["$RARLHF_DATA=/nowhere"])) {
      try DataDirectory.resolve(environment: ["RARLHF_DATA": "/nowhere"], workingDirectory: work)
    }
    #expect {
      try DataDirectory.resolve(environment: [:], workingDirectory: work)
    } throws: { error in
      guard case .noDataDirectory(let tried) = error as? TextDataError else { return false }
      return tried.count == 4 && tried[2] == work.appendingPathComponent("data").path
    }
  }

  @Test func missingFilesAreListedWithWhereToGetThem() throws {
    let data = DataDirectory(url: try TestData.temporaryFolder())
    #expect {
      try data.requireFiles(for: .imdb)
    } throws: { error in
      guard case .missingFiles(_, let files, let help) = error as? TextDataError else {
        return false
      }
      return files == [
        "imdb/aclImdb_labeled.tar.gz", "tokenizers/gpt2/encoder.json",
        "tokenizers/gpt2/vocab.bpe",
      ] && help.contains("aclImdb_v1.tar.gz") && help.contains("rarlhf data fetch")
    }
    #expect(throws: Never.self) { try TestData.directory.requireFiles(for: .jigsaw) }
  }

  @Test func checkCountsAndVerifiesTheSharedData() throws {
    let check = TestData.directory.check()
    #expect(check.missing.isEmpty)
    #expect(check.hasChecksumList)
    #expect(check.isHealthy)
    #expect(check.readyTasks == TaskName.allCases)
    let records = Dictionary(uniqueKeysWithValues: check.entries.map { ($0.file, $0.records) })
    #expect(
      records[.imdb]
        == "50000 reviews (test/neg 12500, test/pos 12500, train/neg 12500, train/pos 12500)")
    #expect(records[.jigsawTrain] == "10770 comments (3468 toxic)")
    #expect(records[.jigsawTest] == "7708 comments (3854 toxic)")
    #expect(records[.jigsawBalanced] == "7749 comments (2138 toxic)")
    #expect(records[.realToxicityPrompts] == "2396 records (1200 challenging, 993 toxic prompts)")
    #expect(records[.gpt2Encoder] == "50257 tokens")
    #expect(records[.gpt2Merges] == "50000 merges")
    #expect(check.entries.allSatisfy { $0.checksumMatches == true })
    #expect(check.description.contains("matches SHA256SUMS"))
  }

  @Test func checkReportsBadChecksumsAndMissingFiles() throws {
    let folder = try TestData.temporaryFolder()
    let csv = folder.appendingPathComponent("jigsaw/test.csv")
    try FileManager.default.createDirectory(
      at: csv.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("comment_text,toxic\nhello there,0\n".utf8).write(to: csv)
    let wrong = String(repeating: "0", count: 64)
    try Data("\(wrong)  jigsaw/test.csv\n".utf8).write(
      to: folder.appendingPathComponent("SHA256SUMS"))
    let check = DataDirectory(url: folder).check()
    let entry = try #require(check.entries.first { $0.file == .jigsawTest })
    #expect(entry.present && entry.records == "1 comments (0 toxic)")
    #expect(entry.checksumMatches == false)
    #expect(!check.isHealthy)
    #expect(check.missing.count == DataDirectory.File.allCases.count - 1)
    #expect(check.readyTasks.isEmpty)
    #expect(check.description.contains("BAD      jigsaw/test.csv"))
    #expect(check.description.contains("missing  realtoxicityprompts/prompts.jsonl"))
  }

  @Test func checkNamesAFileItCannotRead() throws {
    let folder = try TestData.temporaryFolder()
    let url = folder.appendingPathComponent("realtoxicityprompts/prompts.jsonl")
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("not json\n".utf8).write(to: url)
    let entry = try #require(
      DataDirectory(url: folder).check().entries.first { $0.file == .realToxicityPrompts })
    #expect(entry.problem == "\(url.path):1:1: not a JSON object")
    // With the tokenizer files beside it, the task is ready only once its
    // prompts can be read.
    let shared = TestData.directory.url
    for file in ["tokenizers/gpt2/encoder.json", "tokenizers/gpt2/vocab.bpe"] {
      let target = folder.appendingPathComponent(file)
      try FileManager.default.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(at: shared.appendingPathComponent(file), to: target)
    }
    #expect(DataDirectory(url: folder).check().readyTasks.isEmpty)
    try FileManager.default.removeItem(at: url)
    try FileManager.default.copyItem(
      at: shared.appendingPathComponent("realtoxicityprompts/prompts.jsonl"), to: url)
    #expect(DataDirectory(url: folder).check().readyTasks == [.realtoxicityprompts])
  }

  @Test func failedFetchReportsAndLeavesNothing() throws {
    let folder = try TestData.temporaryFolder()
    let download = DataFetcher.Download(
      url: "http://127.0.0.1:9/vocab.bpe", destination: "tokenizers/gpt2/vocab.bpe")
    let report = DataFetcher(connectTimeout: 5).fetch(into: folder, downloads: [download])
    #expect(!report.succeeded)
    guard case .failed(let reason) = report.results.first?.outcome else {
      Issue.record("expected a failure, got \(report.results)")
      return
    }
    #expect(reason.contains("curl"))
    let left = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("tokenizers/gpt2").path)
    #expect(left.isEmpty)
    #expect(report.description.contains("FAILED      tokenizers/gpt2/vocab.bpe"))
    #expect(report.description.contains("place these by hand"))
    #expect(report.description.contains("http://127.0.0.1:9/vocab.bpe"))
  }

  @Test func fetchWithoutCurlSaysSo() throws {
    let folder = try TestData.temporaryFolder()
    let report = DataFetcher(curl: "/nonexistent/curl").fetch(
      into: folder, downloads: [DataFetcher.publicOriginals[2]])
    guard case .failed(let reason) = report.results.first?.outcome else {
      Issue.record("expected a failure, got \(report.results)")
      return
    }
    #expect(reason.hasPrefix("cannot run /nonexistent/curl"))
  }

  @Test func fetchSkipsFilesAlreadyPresent() throws {
    let report = DataFetcher(curl: "/nonexistent/curl").fetch(
      into: TestData.directory.url, downloads: [DataFetcher.publicOriginals[3]])
    #expect(report.results.first?.outcome == .alreadyPresent)
    #expect(report.succeeded)
  }
}
