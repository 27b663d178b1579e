import Foundation

/// Draws figures by piping their scripts to the gnuplot program.
///
/// Output is reproducible: the same figure gives byte-identical files.
/// pdfcairo (cairo 1.16) stamps `/CreationDate` with the clock and ignores
/// `SOURCE_DATE_EPOCH`, so the date is rewritten to 1970-01-01 in place
/// (same length, so the PDF's cross-reference offsets stay valid). The
/// svg terminal writes no date; PNG from pngcairo has no time chunk.
///
/// gnuplot's svg terminal cannot embed fonts, so the font file is added
/// to the SVG as an `@font-face` data URI (the whole file, base64; about
/// 110 kB for Nimbus Sans). PDF embeds font subsets through cairo.
public struct Gnuplot: Sendable {
  /// The gnuplot program: a path, or a name looked up on `PATH`.
  public var executable: String
  /// The font family of every text; it must have α, β, ρ glyphs.
  public var fontFamily: String

  /// A gnuplot driver.
  ///
  /// - Parameters:
  ///   - executable: a path, or a name looked up on `PATH`.
  ///   - fontFamily: the font family, found with `fc-match`.
  public init(executable: String = "gnuplot", fontFamily: String = "Nimbus Sans") {
    self.executable = executable
    self.fontFamily = fontFamily
  }

  /// Draws each figure in each format into `directory` as `name.format`.
  ///
  /// Files are drawn into a staging folder first and moved into place only
  /// when every figure succeeded, so a failure leaves no partial output.
  /// - Returns: the paths written, figure by figure, in `formats` order.
  /// - Throws: `ReportError.gnuplotNotFound`, `.gnuplotFailed` with
  ///   gnuplot's own stderr, `.fontNotFound`, `.cannotWrite`.
  public func render(
    _ figures: [Figure], formats: [PlotFormat], to directory: URL
  ) throws(ReportError) -> [URL] {
    guard !figures.isEmpty, !formats.isEmpty else { return [] }
    let program = try resolvedExecutable()
    let fontFace = formats.contains(.svg) ? try svgFontFace() : ""
    let files = FileManager.default
    let staging = directory.appendingPathComponent(
      ".rarlhf-plots-\(UUID().uuidString)")
    do {
      try files.createDirectory(at: staging, withIntermediateDirectories: true)
    } catch {
      throw ReportError.cannotWrite(path: staging.path, reason: error.localizedDescription)
    }
    defer { try? files.removeItem(at: staging) }

    var staged: [(from: URL, to: URL)] = []
    for figure in figures {
      let outputs = formats.map { format in
        (format, staging.appendingPathComponent("\(figure.name).\(format.rawValue)"))
      }
      let script = figure.gnuplotScript(
        outputs: outputs.map { ($0.0, $0.1.path) }, fontFamily: fontFamily)
      try run(script: script, program: program, figure: figure.name)
      for (format, url) in outputs {
        try Self.makeReproducible(url, format: format, fontFace: fontFace)
        staged.append((url, directory.appendingPathComponent(url.lastPathComponent)))
      }
    }

    for (from, to) in staged {
      do {
        if files.fileExists(atPath: to.path) { try files.removeItem(at: to) }
        try files.moveItem(at: from, to: to)
      } catch {
        throw ReportError.cannotWrite(path: to.path, reason: error.localizedDescription)
      }
    }
    return staged.map(\.to)
  }

  // MARK: - Running gnuplot

  /// Pipes `script` to gnuplot's stdin; stderr goes to a file, which is
  /// read only after gnuplot exits, so a chatty gnuplot cannot block on a
  /// full pipe while we are still writing.
  private func run(script: String, program: URL, figure: String) throws(ReportError) {
    Self.ignoreBrokenPipe()
    let errorURL = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-gnuplot-\(UUID().uuidString).err")
    guard FileManager.default.createFile(atPath: errorURL.path, contents: nil),
      let errorHandle = try? FileHandle(forWritingTo: errorURL)
    else {
      throw ReportError.cannotWrite(path: errorURL.path, reason: "cannot create")
    }
    defer { try? FileManager.default.removeItem(at: errorURL) }

    let process = Process()
    process.executableURL = program
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errorHandle
    do {
      try process.run()
    } catch {
      throw ReportError.gnuplotNotFound("\(program.path): \(error)")
    }
    // A write fails (EPIPE) when gnuplot quit early on an error; its exit
    // status and stderr then say why, so the write error itself is dropped.
    try? input.fileHandleForWriting.write(contentsOf: Data(script.utf8))
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    try? errorHandle.close()

    let message = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      throw ReportError.gnuplotFailed(
        figure: figure, status: process.terminationStatus, message: message)
    }
  }

  /// Writing to a pipe whose reader exited raises SIGPIPE, which would
  /// kill the whole process; with it ignored the write returns EPIPE.
  private static func ignoreBrokenPipe() {
    signal(SIGPIPE, SIG_IGN)
  }

  private func resolvedExecutable() throws(ReportError) -> URL {
    let files = FileManager.default
    if executable.contains("/") {
      guard files.isExecutableFile(atPath: executable) else {
        throw ReportError.gnuplotNotFound(executable)
      }
      return URL(fileURLWithPath: executable)
    }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(executable)"
      if files.isExecutableFile(atPath: candidate) {
        return URL(fileURLWithPath: candidate)
      }
    }
    throw ReportError.gnuplotNotFound(executable)
  }

  // MARK: - Reproducible files

  private static func makeReproducible(
    _ url: URL, format: PlotFormat, fontFace: String
  ) throws(ReportError) {
    switch format {
    case .png: return
    case .pdf:
      guard var data = try? Data(contentsOf: url) else {
        throw ReportError.cannotWrite(path: url.path, reason: "gnuplot wrote no file")
      }
      PDFDate.normalise(&data)
      try write(data, to: url)
    case .svg:
      guard var text = try? String(contentsOf: url, encoding: .utf8) else {
        throw ReportError.cannotWrite(path: url.path, reason: "gnuplot wrote no file")
      }
      if let defs = text.range(of: "<defs>") {
        text.insert(contentsOf: "\n" + fontFace, at: defs.upperBound)
      }
      try write(Data(text.utf8), to: url)
    }
  }

  private static func write(_ data: Data, to url: URL) throws(ReportError) {
    do {
      try data.write(to: url)
    } catch {
      throw ReportError.cannotWrite(path: url.path, reason: error.localizedDescription)
    }
  }

  // MARK: - Fonts

  /// A `<style>` element with the font file as an `@font-face` data URI.
  private func svgFontFace() throws(ReportError) -> String {
    let file = try fontFile()
    guard let data = try? Data(contentsOf: file) else {
      throw ReportError.fontNotFound(family: fontFamily)
    }
    let type = file.pathExtension.lowercased() == "otf" ? "opentype" : "truetype"
    return "<style type=\"text/css\">@font-face { font-family: '\(fontFamily)'; "
      + "src: url(data:font/\(file.pathExtension.lowercased());base64,"
      + data.base64EncodedString() + ") format('\(type)'); }</style>"
  }

  /// The font file of `fontFamily`, from `fc-match`; refused when
  /// fontconfig substitutes another family.
  func fontFile() throws(ReportError) -> URL {
    let output = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["fc-match", "-f", "%{family}\n%{file}", fontFamily]
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw ReportError.fontNotFound(family: fontFamily)
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    guard process.terminationStatus == 0, lines.count == 2,
      lines[0].split(separator: ",").contains(where: { $0 == fontFamily })
    else {
      throw ReportError.fontNotFound(family: fontFamily)
    }
    return URL(fileURLWithPath: String(lines[1]))
  }
}
