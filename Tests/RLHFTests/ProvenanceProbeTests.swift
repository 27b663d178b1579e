import Foundation
import RLHF
import Testing
import TextData

@Suite struct ProvenanceProbeTests {
  @Test func recordsTheDataChecksumsOfTheTaskAndTheToolchain() throws {
    let data = try DataDirectory.resolve()
    let provenance = try ProvenanceProbe().provenance(task: .jigsaw, data: data)
    #expect(
      provenance.dataChecksums["jigsaw/test.csv"]
        == "1780e30b5aa2088207277d0be74e3c2c377ed1780005a02584b947a6c15341c3")
    #expect(
      provenance.dataChecksums.keys.sorted() == [
        "jigsaw/balanced_binary.csv", "jigsaw/test.csv", "jigsaw/train.csv",
        "tokenizers/gpt2/encoder.json", "tokenizers/gpt2/vocab.bpe",
      ])
    #expect(provenance.swiftVersion?.hasPrefix("Swift version") == true)
    #expect(provenance.blasThreads.map { $0 >= 1 } == true)
    #expect(provenance.blas?.isEmpty == false)
  }

  @Test func aCheckoutGivesItsCommitAndDirtiness() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-git-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    func git(_ arguments: String...) throws {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["git", "-C", folder.path] + arguments
      try process.run()
      process.waitUntilExit()
    }
    try git("init", "-q")
    try Data("a\n".utf8).write(to: folder.appendingPathComponent("f.txt"))
    try git("add", "f.txt")
    try git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    let data = try DataDirectory.resolve()
    let clean = try ProvenanceProbe(sourceRoot: folder).provenance(
      task: .realtoxicityprompts, data: data)
    #expect(clean.gitCommit?.count == 40)
    #expect(clean.gitDirty == false)
    #expect(clean.gitDiffHash == nil)

    try Data("b\n".utf8).write(to: folder.appendingPathComponent("f.txt"))
    let dirty = try ProvenanceProbe(sourceRoot: folder).provenance(
      task: .realtoxicityprompts, data: data)
    #expect(dirty.gitCommit == clean.gitCommit)
    #expect(dirty.gitDirty == true)
    #expect(dirty.gitDiffHash?.count == 64)
  }

  @Test func outsideACheckoutTheCodeFieldsAreLeftEmpty() throws {
    let provenance = try ProvenanceProbe(sourceRoot: URL(fileURLWithPath: "/"))
      .provenance(task: .realtoxicityprompts, data: DataDirectory.resolve())
    #expect(provenance.gitCommit == nil)
    #expect(provenance.gitDirty == nil)
  }
}
