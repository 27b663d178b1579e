import Foundation
import Testing

@testable import Reports

/// The path of `pdflatex` on `PATH`, or `nil`.
private let pdflatex: String? = {
  let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
  return path.split(separator: ":").map { "\($0)/pdflatex" }
    .first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// Compiles the rendered tables with pdfLaTeX when it is installed (Debian:
/// texlive-latex-base, texlive-latex-recommended for booktabs); the escaping
/// is only proven by a real TeX run.
@Suite(.enabled(if: pdflatex != nil, "pdflatex is not installed"))
struct LaTeXCompilationTests {
  @Test func everyTableCompilesWithBooktabs() throws {
    let directory = try temporaryDirectory("latex")
    let tables = Report.tables(for: ReportFixture.data).map { $0.latex() }
    let document =
      "\\documentclass{article}\n\\usepackage{booktabs}\n"
      + "\\usepackage[margin=1cm,landscape]{geometry}\n\\begin{document}\n"
      + (tables + [awkwardTable.latex()]).joined(separator: "\n") + "\\end{document}\n"
    try Data(document.utf8).write(to: directory.appendingPathComponent("tables.tex"))

    // Twice: labels are read back from the .aux file only on the second run.
    var status: Int32 = 0
    for _ in 0..<2 where status == 0 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: pdflatex ?? "")
      process.arguments = ["-interaction=nonstopmode", "-halt-on-error", "tables.tex"]
      process.currentDirectoryURL = directory
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      status = process.terminationStatus
    }

    let log =
      (try? String(
        contentsOf: directory.appendingPathComponent("tables.log"), encoding: .utf8)) ?? ""
    let errors = log.split(separator: "\n").filter { $0.hasPrefix("!") }
    #expect(status == 0, "pdflatex: \(errors)")
    #expect(
      FileManager.default.fileExists(atPath: directory.appendingPathComponent("tables.pdf").path))
  }
}
