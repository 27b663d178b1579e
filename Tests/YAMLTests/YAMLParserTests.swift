import Foundation
import Testing
import YAML

@Suite struct YAMLParserTests {
  @Test func nodesKeepFileLineAndColumn() throws {
    let text = """
      name: demo
      parameters:
        risk.alpha:
          values: [0.4, 0.2]
      """
    let root = try YAMLParser.parse(text, file: "x.yaml")
    #expect(root.mark == YAMLMark(file: "x.yaml", line: 1, column: 1))
    let values = try #require(root["parameters"]?["risk.alpha"]?["values"])
    #expect(values.mark.description == "x.yaml:4:13")
    let items = try values.sequence()
    #expect(items.map(\.mark.column) == [14, 19])
    #expect(items.map(\.scalarText) == ["0.4", "0.2"])
  }

  @Test func mappingsKeepSourceOrder() throws {
    let root = try YAMLParser.parse("b: 1\na: 2\nc: 3\n", file: "o.yaml")
    #expect(try root.mapping().map(\.key.scalarText) == ["b", "a", "c"])
  }

  @Test func duplicateKeyNamesBothPositions() {
    let text = "seed: 1\nname: x\nseed: 2\n"
    #expect {
      try YAMLParser.parse(text, file: "d.yaml")
    } throws: { error in
      "\(error)" == "d.yaml:3:1: duplicate key 'seed' (first defined at line 1, column 1)"
    }
  }

  @Test func nestedDuplicateKeyIsFound() {
    let text = "parameters:\n  seed: {values: [1]}\n  seed: {value: 2}\n"
    #expect(
      throws: YAMLError.duplicateKey(
        "seed", first: YAMLMark(file: "n.yaml", line: 2, column: 3),
        at: YAMLMark(file: "n.yaml", line: 3, column: 3))
    ) {
      try YAMLParser.parse(text, file: "n.yaml")
    }
  }

  @Test(arguments: [
    (
      "a: [1, 2\nb: 3\n",
      "s.yaml:2:2: did not find expected ',' or ']' "
        + "(while parsing a flow sequence at line 1, column 4)"
    ),
    (
      "a: b: c\n",
      "s.yaml:1:5: mapping values are not allowed in this context"
    ),
    (
      "a:\n  - 1\n b: 2\n",
      "s.yaml:3:2: did not find expected key "
        + "(while parsing a block mapping at line 1, column 1)"
    ),
    (
      "a: \"open\n",
      "s.yaml:2:1: found unexpected end of stream "
        + "(while scanning a quoted scalar at line 1, column 4)"
    ),
  ])
  func libyamlErrorsArePositioned(text: String, message: String) {
    #expect {
      try YAMLParser.parse(text, file: "s.yaml")
    } throws: { error in
      "\(error)" == message
    }
  }

  @Test func readerErrorIsPlacedByByteOffset() {
    // libyaml's reader reports only a byte offset; é is two bytes, one column.
    #expect {
      try YAMLParser.parse("a: 1\nbé: x\u{1}\n", file: "u.yaml")
    } throws: { error in
      "\(error)" == "u.yaml:2:6: control characters are not allowed"
    }
  }

  @Test func fileThatIsNotUTF8IsNamed() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("rarlhf-yaml-\(getpid()).yaml").path
    #expect(FileManager.default.createFile(atPath: path, contents: Data([0x61, 0x3A, 0xFF])))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: YAMLError.notUTF8(path: path)) {
      try YAMLParser.parse(fileAt: path)
    }
  }

  @Test func emptyTextIsANullScalar() throws {
    let root = try YAMLParser.parse("", file: "e.yaml")
    #expect(root.isNull && root.mark.description == "e.yaml:1:1")
  }

  @Test func aliasesCopyTheAnchoredNode() throws {
    let root = try YAMLParser.parse("a: &x [1, 2]\nb: *x\n", file: "a.yaml")
    let b = try #require(root["b"])
    #expect(try b.sequence().map { try $0.int() } == [1, 2])
    #expect(b.mark.description == "a.yaml:2:4")
  }

  @Test func unknownAliasIsRefused() {
    #expect {
      try YAMLParser.parse("b: *nope\n", file: "a.yaml")
    } throws: { error in
      "\(error)" == "a.yaml:1:4: alias '*nope' names no anchor defined before it"
    }
  }

  @Test func secondDocumentIsRefused() {
    #expect {
      try YAMLParser.parse("a: 1\n---\nb: 2\n", file: "m.yaml")
    } throws: { error in
      "\(error)" == "m.yaml:2:1: a second YAML document starts here (one document allowed)"
    }
  }

  @Test func nonScalarKeyIsRefused() {
    #expect {
      try YAMLParser.parse("? [a, b]\n: 1\n", file: "k.yaml")
    } throws: { error in
      "\(error)" == "k.yaml:1:3: a mapping key must be a scalar, not a sequence or a mapping"
    }
  }

  @Test func emptySourceIsANullScalar() throws {
    let root = try YAMLParser.parse("# only a comment\n", file: "e.yaml")
    #expect(root.isNull)
    #expect(root.mark.description == "e.yaml:1:1")
  }

  @Test func missingFileIsNamed() {
    #expect(
      throws: YAMLError.unreadable(
        path: "/nonexistent/s.yaml", reason: "no such file or directory")
    ) {
      try YAMLParser.parse(fileAt: "/nonexistent/s.yaml")
    }
    let folder = FileManager.default.temporaryDirectory.path
    #expect(throws: YAMLError.unreadable(path: folder, reason: "it is a directory")) {
      try YAMLParser.parse(fileAt: folder)
    }
  }
}
