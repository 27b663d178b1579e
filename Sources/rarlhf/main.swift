import ArgumentParsing
import Foundation

/// Exit statuses of the tool, as swift-argument-parser and sysexits use them.
enum ExitStatus: Int32 {
  case success = 0
  case failure = 1
  case usage = 64
}

let parser = Parser(root: CommandTree.root)
let arguments = Array(CommandLine.arguments.dropFirst())
let version = "0.1.0"

if arguments == ["--version"] {
  print("rarlhf \(version)")
  exit(ExitStatus.success.rawValue)
}

do {
  let parsed = try parser.parse(arguments)
  if parsed.helpRequested {
    var help = parser.help(at: parsed.path)
    if parsed.path == ["run"] {
      help += "\n\n" + (try CommandTree.configurationReference(for: arguments))
    }
    print(help)
    exit(ExitStatus.success.rawValue)
  }
  let verbosity: Console.Verbosity =
    parsed.flag("quiet") ? .quiet : parsed.flag("verbose") ? .verbose : .normal
  let console = Console(verbosity: verbosity)
  do {
    try Dispatcher(parsed: parsed, console: console).run()
    exit(ExitStatus.success.rawValue)
  } catch let error as UsageError {
    console.error(error.description)
    FileHandle.standardError.write(Data((parser.usage(at: parsed.path) + "\n").utf8))
    exit(ExitStatus.usage.rawValue)
  } catch let error as UsageFailure {
    console.error(error.description)
    exit(ExitStatus.usage.rawValue)
  } catch {
    console.error(String(describing: error))
    exit(ExitStatus.failure.rawValue)
  }
} catch {
  let path = parser.commandPath(for: arguments)
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  FileHandle.standardError.write(Data((parser.usage(at: path) + "\n").utf8))
  exit(ExitStatus.usage.rawValue)
}
