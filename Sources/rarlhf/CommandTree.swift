import ArgumentParsing
import Configuration
import TextData

/// The declared shape of every `rarlhf` command.
enum CommandTree {
  /// Options every command accepts.
  static let globalOptions: [OptionSpec] = [
    OptionSpec(
      "data", valueName: "DIR",
      help: "Data directory (default: $RARLHF_DATA, ./data, ../shared/data)."),
    OptionSpec(
      "db", valueName: "FILE", help: "Tracking database (default: runs/rarlhf.sqlite)."),
    .flag("quiet", short: "q", help: "Print only results and errors."),
    .flag("verbose", short: "v", help: "Print details of each step."),
  ]

  static let jobs = OptionSpec(
    "jobs", short: "j", valueName: "N",
    help: "Runs at once, each in its own process (default: cores).")
  static let failurePolicy: [OptionSpec] = [
    .flag("keep-going", help: "Continue the other runs when one fails (default)."),
    .flag("fail-fast", help: "Stop the sweep at the first failed run."),
  ]

  static let root = CommandSpec(
    name: "rarlhf",
    abstract: "Risk-averse fine-tuning of language models (RLHF and RA-RLHF).",
    options: globalOptions,
    subcommands: [sweep, run, report, data, db],
    discussion: "'rarlhf --version' prints the version.")

  static let sweep = CommandSpec(
    name: "sweep", abstract: "Run, resume and inspect sweeps of runs.",
    subcommands: [
      CommandSpec(
        name: "run", abstract: "Run every cell of a sweep file that is not done yet.",
        options: [jobs] + failurePolicy + [
          OptionSpec(
            "name", valueName: "NAME",
            help: "Record the sweep as NAME instead of the file's name."),
          .flag("dry-run", help: "List the resolved runs and write nothing."),
          .flag("force", help: "Accept changed settings of cells already recorded."),
        ],
        positionals: [PositionalSpec("FILE", help: "Sweep file (YAML).")],
        acceptsOverrides: true,
        discussion: "key=value words override settings of the file, e.g. ppo.learning_rate=1e-5."),
      CommandSpec(
        name: "resume",
        abstract: "Run the missing, failed, interrupted and crashed runs of a recorded sweep.",
        options: [jobs] + failurePolicy,
        positionals: [PositionalSpec("SWEEP", help: "Sweep name.")]),
      CommandSpec(
        name: "status", abstract: "Show the runs of sweeps with status, iteration and reward.",
        positionals: [
          PositionalSpec("SWEEP", arity: .variadic(minimum: 0), help: "Sweep names (default: all).")
        ]),
    ])

  static let run = CommandSpec(
    name: "run", abstract: "Run one configuration (shared stages, RL, evaluation).",
    options: [
      OptionSpec(
        "identity", valueName: "HEX",
        help: "Run the registered run with this identity (as sweeps do)."),
      .flag("stages-only", help: "Only compute the shared stages (cached), no RL."),
      OptionSpec(
        "sweep", valueName: "NAME",
        help: "With --stages-only: link the base and SFT evaluation runs to this sweep."),
    ],
    acceptsOverrides: true,
    discussion: "Give the configuration as key=value words, e.g.\n"
      + "  rarlhf run task=imdb algorithm=ra-rlhf preset=tiny risk.alpha=0.4 seed=1")

  /// The key reference that `rarlhf run --help` prints after the options:
  /// every configuration key with its type, range and preset defaults, for
  /// the task of a `task=NAME` word in `arguments` (default imdb).
  ///
  /// - Throws: `TextDataError.unknownTask` for a `task=` word that names no task.
  static func configurationReference(for arguments: [String]) throws -> String {
    let given = arguments.last { $0.hasPrefix("task=") }?.dropFirst("task=".count)
    let task = try given.map { try TaskName(parsing: String($0)) } ?? .imdb
    return "configuration keys (defaults for task=\(task); "
      + "'rarlhf run task=NAME --help'\nshows another task's):\n\n"
      + ConfigurationKey.reference(task: task)
  }

  static let report = CommandSpec(
    name: "report", abstract: "Write the paper's tables and plots for sweeps.",
    options: [
      OptionSpec(
        "out", valueName: "DIR",
        help: "Write tables to DIR/results/NAME and plots to DIR/plots/NAME (default: .)."),
      OptionSpec(
        "tables", kind: .repeated, valueName: "FORMATS",
        help: "Table formats: md, tex, csv (default: all)."),
      OptionSpec(
        "plots", kind: .repeated, valueName: "FORMATS",
        help: "Plot formats: pdf, svg, png (default: all)."),
    ],
    positionals: [
      PositionalSpec("SWEEP", arity: .variadic(minimum: 1), help: "Sweep names.")
    ])

  static let data = CommandSpec(
    name: "data", abstract: "Check or fetch the corpora.",
    subcommands: [
      CommandSpec(
        name: "check", abstract: "Report what a data directory holds and what is missing.",
        positionals: [
          PositionalSpec("DIR", arity: .optional, help: "Data directory (default: resolved).")
        ]),
      CommandSpec(
        name: "fetch", abstract: "Download the public originals into ./data.",
        options: [OptionSpec("into", valueName: "DIR", help: "Target folder (default: ./data).")]),
    ])

  static let db = CommandSpec(
    name: "db", abstract: "Inspect, export or merge tracking databases.",
    subcommands: [
      CommandSpec(name: "info", abstract: "Runs by status, row counts and file size."),
      CommandSpec(
        name: "merge", abstract: "Merge run shards into the database (again adds nothing).",
        positionals: [
          PositionalSpec(
            "SHARD", arity: .variadic(minimum: 1),
            help: "Shard databases, e.g. written by 'rarlhf run --db FILE'.")
        ],
        discussion: "Shards are read, never changed, except that a shard with an "
          + "older schema is\nupgraded in place first, as opening it with any command "
          + "would."),
      CommandSpec(
        name: "export", abstract: "Export episodes, iterations and evaluations.",
        options: [
          .flag("csv", help: "Write CSV files (the only format so far; required)."),
          OptionSpec("out", valueName: "DIR", help: "Folder for the files (default: .)."),
        ]),
    ])
}
