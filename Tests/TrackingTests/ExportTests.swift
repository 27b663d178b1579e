import Foundation
import Testing

@testable import Tracking

@Suite("Export and info")
struct ExportTests {
  @Test(arguments: [
    ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("two\nlines", "\"two\nlines\""), ("cr\r", "\"cr\r\""), ("", ""), ("é ✓", "é ✓"),
  ])
  func fieldsAreQuotedAsRFC4180Says(field: String, quoted: String) {
    #expect(CSVWriter.quoted(field) == quoted)
  }

  @Test func episodesExportHasOneRecordPerEpisodeWithPromptText() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    try store.record(Fixtures.iteration(0, episodes: 3, prompts: prompts), of: run)

    let csv = try store.csv(.episodes)

    let records = csv.components(separatedBy: "\r\n")
    #expect(records.count == 5)  // header, 3 episodes, empty after the last CRLF
    #expect(
      records[0]
        == "run_id,run_name,phase,eval_set,iteration,position,task,prompt_id,class,"
        + "prompt_text,completion,prompt_score,reward,judge_reward,kl,return,"
        + "response_length,in_tail")
    #expect(
      records[2]
        == "1,run-a,train,,0,1,imdb,train/pos/1_9.txt,negative,\"This film, \"\"number 1\"\", "
        + "was\",\"it=0 pos=1 great, \"\"really\"\"\nfun\",0.5,0.1,,0.02,0.0,13,0")
  }

  @Test func iterationsExportHasAColumnPerStatistic() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    try store.record(Fixtures.iteration(0, episodes: 4, prompts: prompts), of: run)
    var second = Fixtures.iteration(1, episodes: 4, prompts: prompts)
    second.statistics = ["env/reward_mean": 2.5, "objective/entropy": 9]
    try store.record(second, of: run)

    let records = try store.csv(.iterations).components(separatedBy: "\r\n")

    #expect(
      records[0]
        == "run_id,run_name,iteration,kept_count,return_threshold,return_mean,"
        + "return_mean_kept,recorded_at,env/reward_mean,objective/entropy,objective/kl,"
        + "ppo/loss/policy,time/ppo/total")
    let first = records[1].split(separator: ",", omittingEmptySubsequences: false)
    #expect(first[0..<4] == ["1", "run-a", "0", "2"])
    #expect(first[8...] == ["0.0", "", "0.02", "-0.125", "3.25"])
    let last = records[2].split(separator: ",", omittingEmptySubsequences: false)
    #expect(last[8...] == ["2.5", "9.0", "", "", ""])
  }

  @Test func exportWritesThreeFilesAndInfoCountsRows() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, run, prompts) = try Fixtures.storeWithRun(in: directory)
    try store.record(Fixtures.iteration(0, episodes: 4, prompts: prompts), of: run)
    try store.record(evaluationMetrics: ["reward_mean": 0.25], of: run, on: "test")
    try store.setStatus(.done, of: run)

    let files = try store.exportCSV(toDirectory: directory.appendingPathComponent("csv"))
    let info = try store.info()

    #expect(
      files.map(\.lastPathComponent) == ["episodes.csv", "iterations.csv", "evaluations.csv"])
    #expect(
      try String(contentsOf: files[2], encoding: .utf8)
        == "run_id,run_name,eval_set,metric,value\r\n1,run-a,test,reward_mean,0.25\r\n")
    #expect(
      try String(contentsOf: files[0], encoding: .utf8).components(separatedBy: "\r\n").count == 6)
    #expect(info.rowCounts["episodes"] == 4)
    #expect(info.rowCounts["iteration_stats"] == 4)
    #expect(info.rowCounts["prompts"] == 8)
    #expect(info.runsByStatus[.done] == 1)
    #expect(info.runsByStatus[.running] == 0)
    #expect(info.schemaVersion == 1)
    #expect(info.fileBytes > 4096)
    #expect(info.description.contains("  episodes: 4"))
    #expect(
      !FileManager.default.fileExists(
        atPath: directory.appendingPathComponent("csv/episodes.csv.partial").path))
  }

  @Test func exportIntoAMissingFolderNamesTheFile() throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(directory) }
    let (store, _, _) = try Fixtures.storeWithRun(in: directory)
    let target = directory.appendingPathComponent("missing/episodes.csv")

    #expect(
      throws: TrackingError.fileError(path: target.path, detail: "cannot create the CSV file")
    ) {
      try store.exportCSV(.episodes, to: target)
    }
  }
}
