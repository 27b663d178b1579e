import Testing

@testable import Reports

/// A table with every kind of cell and every character that needs escaping.
let awkwardTable = Table(
  name: "awkward_1",
  title: "Rewards of run_1 at 5% & more: {x} ~ #1 $ ^ \\ α",
  columns: [
    Table.Column("Model"),
    Table.Column("Reward", better: .higher, group: "IMDB_test"),
    Table.Column("Perplexity", better: .lower, group: "IMDB_test"),
    Table.Column("CVaR 5%", unit: "logit", better: .higher, group: "Jigsaw"),
    Table.Column("Note"),
  ],
  rows: [
    [
      .text("Base"), .number(-0.031), .number(43.96),
      .missing, .text("single, \"quoted\" run"),
    ],
    [
      .text("RLHF_x"),
      .estimate(Estimate(samples: [1.24, 1.26, 1.28])!),
      .estimate(Estimate(samples: [44.0, 44.5, 44.46])!),
      .estimate(Estimate(samples: [2.0, 2.5])!),
      .text("50% | *bold*"),
    ],
    [
      .text("RA-RLHF α=0.4"),
      .estimate(Estimate(mean: .nan, standardDeviation: .nan, count: 3)),
      .estimate(Estimate(samples: [47.39])!),
      .estimate(Estimate(samples: [2.1, 2.3, 2.2])!),
      .missing,
    ],
  ])

@Suite struct TableRenderingTests {
  @Test func markdownMatchesGolden() throws {
    try Golden.expect(awkwardTable.markdown(), matches: "awkward.md")
  }

  @Test func latexMatchesGolden() throws {
    try Golden.expect(awkwardTable.latex(), matches: "awkward.tex")
  }

  @Test func csvMatchesGolden() throws {
    try Golden.expect(awkwardTable.csv(), matches: "awkward.csv")
  }

  @Test(arguments: [
    ("a_b", "a\\_b"), ("5%", "5\\%"), ("A&B", "A\\&B"), ("#1", "\\#1"),
    ("$x$", "\\$x\\$"), ("{y}", "\\{y\\}"), ("~", "\\textasciitilde{}"),
    ("^", "\\textasciicircum{}"), ("\\", "\\textbackslash{}"),
    ("α=0.4", "$\\alpha$=0.4"), ("a|b", "a\\textbar{}b"),
  ])
  func latexEscapesSpecialCharacters(raw: String, escaped: String) {
    #expect(Table.escapeLaTeX(raw) == escaped)
  }

  @Test func nanAndMissingAreNeverZero() {
    let table = Table(
      name: "t", title: "t", columns: [Table.Column("x", better: .higher)],
      rows: [[.number(.nan)], [.missing], [.number(1)]])
    #expect(table.markdown().contains("| NaN |"))
    #expect(table.markdown().contains("| missing |"))
    #expect(table.csv() == "x\r\nNaN\r\n\r\n1\r\n")
    #expect(table.latex().contains("$\\mathrm{NaN}$ \\\\"))
    #expect(table.latex().contains("$\\mathbf{1.00}$"))
  }

  @Test func bestValueFollowsTheBetterDirection() {
    let table = Table(
      name: "t", title: "t",
      columns: [
        Table.Column("up", better: .higher), Table.Column("down", better: .lower),
      ],
      rows: [[.number(1), .number(1)], [.number(2), .number(2)]])
    #expect(table.isBest(row: 1, column: 0))
    #expect(!table.isBest(row: 0, column: 0))
    #expect(table.isBest(row: 0, column: 1))
    #expect(!table.isBest(row: 1, column: 1))
  }

  @Test func csvKeepsFullPrecision() {
    let value = 0.1 + 0.2
    let table = Table(
      name: "t", title: "t", columns: [Table.Column("x", decimals: 1)],
      rows: [[.number(value)]])
    #expect(table.csv() == "x\r\n0.30000000000000004\r\n")
    #expect(table.markdown().contains("| 0.3 |"))
  }
}
