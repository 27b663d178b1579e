import Testing
import YAML

@Suite struct YAMLScalarTests {
  private func value(_ text: String) throws -> YAMLNode {
    try #require(try YAMLParser.parse("v: \(text)\n", file: "t.yaml")["v"])
  }

  @Test(arguments: [
    ("42", YAMLNode.ScalarType.int), ("-7", .int), ("+3", .int), ("0x1F", .int),
    ("0.95", .float), ("1.41e-5", .float), ("1e4", .float), (".5", .float),
    ("-.inf", .float), (".nan", .float), ("true", .bool), ("False", .bool),
    ("~", .null), ("null", .null), ("", .null), ("\"1\"", .string),
    ("'true'", .string), ("!!str 3", .string), ("imdb", .string),
    ("1.2.3", .string), ("e5", .string), ("yes", .string), ("0x", .string),
  ])
  func coreSchemaTypesPlainScalars(text: String, type: YAMLNode.ScalarType) throws {
    #expect(try value(text).scalarType == type)
  }

  @Test func typedAccessorsReturnValues() throws {
    #expect(try value("0x1F").int() == 31)
    #expect(try value("1.41e-5").double() == 1.41e-5)
    #expect(try value("3").double() == 3)
    #expect(try value("TRUE").bool())
    #expect(try value("'0.4'").string() == "0.4")
    #expect(try value("12").string() == "12")
  }

  @Test(arguments: [
    ("\"1\"", "t.yaml:1:4: expected an integer, got string \"1\""),
    ("1.5", "t.yaml:1:4: expected an integer, got float 1.5"),
    ("[1, 2]", "t.yaml:1:4: expected an integer, got a list"),
    (
      "99999999999999999999",
      "t.yaml:1:4: expected an integer of at most 64 bits, got integer 99999999999999999999"
    ),
  ])
  func intRefusesOtherKinds(text: String, message: String) throws {
    let node = try value(text)
    #expect {
      try node.int()
    } throws: { error in
      "\(error)" == message
    }
  }

  @Test func otherAccessorsNameTheNode() throws {
    #expect(
      throws: YAMLError.typeMismatch(
        expected: "a number", got: "boolean true",
        at: YAMLMark(file: "t.yaml", line: 1, column: 4))
    ) {
      try value("true").double()
    }
    #expect(
      throws: YAMLError.typeMismatch(
        expected: "a boolean", got: "string \"yes\"",
        at: YAMLMark(file: "t.yaml", line: 1, column: 4))
    ) {
      try value("yes").bool()
    }
    #expect(
      throws: YAMLError.typeMismatch(
        expected: "a string", got: "null",
        at: YAMLMark(file: "t.yaml", line: 1, column: 4))
    ) {
      try value("~").string()
    }
    #expect(
      throws: YAMLError.typeMismatch(
        expected: "a mapping", got: "integer 3",
        at: YAMLMark(file: "t.yaml", line: 1, column: 4))
    ) {
      try value("3").mapping()
    }
  }

  @Test func plainNodesFromTextFollowTheSameRules() throws {
    let mark = YAMLMark(file: "override 'seed=2'", line: 0, column: 0)
    #expect(try YAMLNode.plain("2", at: mark).int() == 2)
    #expect(YAMLNode.plain("abc", at: mark).scalarType == .string)
    #expect(mark.description == "override 'seed=2'")
  }
}
