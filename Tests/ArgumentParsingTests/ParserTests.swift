import ArgumentParsing
import Testing

/// A command tree shaped like rarlhf's, small enough to read in the test.
let tree = CommandSpec(
  name: "tool", abstract: "A test tool.",
  options: [
    .flag("quiet", short: "q", help: "Less output."),
    .flag("verbose", short: "v", help: "More output."),
    OptionSpec("data", valueName: "DIR", help: "Data directory."),
  ],
  subcommands: [
    CommandSpec(
      name: "sweep", abstract: "Sweeps.",
      subcommands: [
        CommandSpec(
          name: "run", abstract: "Run a sweep.",
          options: [
            OptionSpec("jobs", short: "j", valueName: "N", help: "Workers."),
            .flag("dry-run", help: "List runs only."),
          ],
          positionals: [PositionalSpec("FILE", help: "Sweep file.")],
          acceptsOverrides: true)
      ]),
    CommandSpec(
      name: "report", abstract: "Write tables.",
      options: [
        OptionSpec("plots", kind: .repeated, valueName: "FORMATS", help: "Plots.")
      ],
      positionals: [
        PositionalSpec("SWEEP", arity: .variadic(minimum: 1), help: "Sweeps.")
      ]),
    CommandSpec(
      name: "check", abstract: "Check data.",
      positionals: [PositionalSpec("DIR", arity: .optional, help: "Folder.")]),
  ])

@Suite struct ParserTests {
  let parser = Parser(root: tree)

  @Test(arguments: [
    (
      ["sweep", "run", "a.yaml"],
      ParsedCommand(path: ["sweep", "run"], positionals: ["FILE": ["a.yaml"]])
    ),
    (
      ["--data", "/d", "sweep", "run", "-j", "2", "a.yaml", "risk.alpha=0.2"],
      ParsedCommand(
        path: ["sweep", "run"], options: ["data": ["/d"], "jobs": ["2"]],
        positionals: ["FILE": ["a.yaml"]],
        overrides: [Override(key: "risk.alpha", value: "0.2")])
    ),
    (
      ["sweep", "run", "--jobs=3", "-qv", "--dry-run", "a.yaml", "--data=x"],
      ParsedCommand(
        path: ["sweep", "run"],
        options: [
          "jobs": ["3"], "quiet": [""], "verbose": [""], "dry-run": [""],
          "data": ["x"],
        ],
        positionals: ["FILE": ["a.yaml"]])
    ),
    (
      ["sweep", "run", "-j4", "--", "--odd-name.yaml"],
      ParsedCommand(
        path: ["sweep", "run"], options: ["jobs": ["4"]],
        positionals: ["FILE": ["--odd-name.yaml"]])
    ),
    (
      ["report", "s1", "s2", "--plots", "pdf,svg", "--plots", "png"],
      ParsedCommand(
        path: ["report"], options: ["plots": ["pdf,svg", "png"]],
        positionals: ["SWEEP": ["s1", "s2"]])
    ),
    (["check"], ParsedCommand(path: ["check"])),
    (["sweep", "--help"], ParsedCommand(path: ["sweep"], helpRequested: true)),
    (["-h"], ParsedCommand(helpRequested: true)),
  ])
  func validCommandLinesParse(arguments: [String], expected: ParsedCommand) throws {
    #expect(try parser.parse(arguments) == expected)
  }

  @Test(arguments: [
    (["sweep", "run", "--job", "2", "a"], "unknown option '--job' (did you mean '--jobs'?)"),
    (["sweep", "run", "--zzzzzz", "a"], "unknown option '--zzzzzz'"),
    (
      ["sweep", "runn", "a"],
      "unknown command 'runn' for 'tool sweep' (did you mean 'run'? expected: run)"
    ),
    (["sweep"], "'tool sweep' needs a command (expected: run)"),
    ([], "'tool' needs a command (expected: sweep, report, check)"),
    (["sweep", "run", "a", "--jobs"], "option '--jobs' needs a value (N)"),
    (["sweep", "run", "--dry-run=yes", "a"], "option '--dry-run' takes no value"),
    (["sweep", "run"], "missing argument FILE"),
    (["sweep", "run", "a", "b"], "unexpected argument 'b'"),
    (["report"], "missing argument SWEEP"),
    (["check", "x=1"], "unexpected override 'x=1': this command takes no key=value"),
    (["sweep", "run", "a", "=1"], "malformed override '=1' (expected key=value)"),
    (
      ["sweep", "run", "task=imdb", "a", "task=jigsaw"],
      "key 'task' is given twice ('task=imdb' and 'task=jigsaw'; give each key once)"
    ),
    (["sweep", "run", "-x", "a"], "unknown option '-x'"),
  ])
  func invalidCommandLinesAreRefused(arguments: [String], message: String) {
    #expect {
      try parser.parse(arguments)
    } throws: { error in
      (error as? UsageError)?.description == message
    }
  }

  @Test func listSplitsCommasAcrossRepeats() throws {
    let parsed = try parser.parse(["report", "s", "--plots", "pdf,svg", "--plots", "png"])
    #expect(parsed.list("plots") == ["pdf", "svg", "png"])
  }

  @Test func integerOptionsAreRangeChecked() throws {
    let parsed = try parser.parse(["sweep", "run", "-j", "0", "a"])
    #expect(
      throws: UsageError.invalidValue(
        option: "jobs", value: "0", allowed: "an integer from 1 to 64")
    ) {
      try parsed.integer("jobs", in: 1...64)
    }
    let good = try parser.parse(["sweep", "run", "-j", "3", "a"])
    #expect(try good.integer("jobs", in: 1...64) == 3)
  }

  @Test func helpListsCommandsOptionsAndInheritedOptions() {
    let help = parser.help(at: ["sweep", "run"])
    #expect(help.contains("usage: tool sweep run [options] FILE [key=value ...]"))
    #expect(help.contains("-j, --jobs N"))
    #expect(help.contains("--data DIR"))
    #expect(help.contains("-q, --quiet"))
    let top = parser.help(at: [])
    #expect(top.contains("usage: tool <command> [options]"))
    #expect(top.contains("  report"))
  }

  @Test(arguments: [
    ("alhpa", "alpha", 1), ("valeus", "values", 1), ("valeus", "value", 2),
    ("", "abc", 3), ("kitten", "sitting", 3), ("same", "same", 0), ("flaw", "lawn", 2),
  ])
  func editDistanceCountsSwapsAsOneEdit(a: String, b: String, distance: Int) {
    #expect(Spelling.distance(a, b) == distance)
    #expect(Spelling.distance(b, a) == distance)
  }
}
