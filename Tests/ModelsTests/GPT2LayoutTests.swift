import Testing

@testable import Models

@Suite struct GPT2LayoutTests {
  static let tiny = GPTConfiguration(
    vocabularySize: 11, contextLength: 8, dModel: 4, layerCount: 2, headCount: 2)

  static func entries(
    _ shapes: [(String, [Int])], renaming: (String) -> String = { $0 }
  ) -> [String: SafeTensors.Entry] {
    var result: [String: SafeTensors.Entry] = [:]
    for (name, shape) in shapes {
      let count = shape.reduce(1, *)
      result[renaming(name)] = .init(shape: shape, values: Array(repeating: 0, count: count))
    }
    return result
  }

  @Test func gpt2PresetHasTheReleasedParameterCount() throws {
    #expect(GPTConfiguration.gpt2.parameterCount == 124_439_808)
    let counted = GPT2Layout.trunkShapes(.gpt2).reduce(0) { $0 + $1.1.reduce(1, *) }
    #expect(counted == 124_439_808)
    try GPTConfiguration.gpt2.validate()
  }

  @Test func trunkNamesFollowHuggingFace() {
    let names = GPT2Layout.trunkShapes(Self.tiny).map(\.0)
    #expect(names.count == 2 + 12 * 2 + 2)
    #expect(names.contains("transformer.h.1.attn.c_attn.weight"))
    let shapes = Dictionary(uniqueKeysWithValues: GPT2Layout.trunkShapes(Self.tiny))
    #expect(shapes["transformer.h.0.attn.c_attn.weight"] == [4, 12])
    #expect(shapes["transformer.h.0.mlp.c_fc.weight"] == [4, 16])
    #expect(shapes["transformer.h.0.mlp.c_proj.weight"] == [16, 4])
    #expect(shapes["transformer.wte.weight"] == [11, 4])
  }

  static let invalid: [(GPTConfiguration, String)] = [
    (
      GPTConfiguration(
        vocabularySize: 0, contextLength: 8, dModel: 4, layerCount: 1, headCount: 1),
      "vocabularySize"
    ),
    (
      GPTConfiguration(
        vocabularySize: 5, contextLength: 8, dModel: 6, layerCount: 1, headCount: 4),
      "headCount"
    ),
    (
      GPTConfiguration(
        vocabularySize: 5, contextLength: 8, dModel: 4, layerCount: 1, headCount: 1,
        dropout: 1),
      "dropout"
    ),
  ]

  @Test(arguments: invalid)
  func invalidConfigurationsNameTheField(configuration: GPTConfiguration, field: String) {
    do {
      try configuration.validate()
      Issue.record("accepted \(configuration)")
    } catch {
      guard case .invalidConfiguration(let named, _, _) = error else {
        Issue.record("wrong error \(error)")
        return
      }
      #expect(named == field)
    }
  }

  @Test func namesWithoutPrefixAndTiedHeadAndBuffersAreAccepted() throws {
    var file = Self.entries(GPT2Layout.trunkShapes(Self.tiny)) {
      String($0.dropFirst("transformer.".count))
    }
    file["lm_head.weight"] = .init(shape: [11, 4], values: Array(repeating: 0, count: 44))
    file["h.0.attn.bias"] = .init(shape: [1, 1, 2, 2], values: [1, 0, 1, 1])
    let matched = try GPT2Layout.match(
      file, expected: GPT2Layout.trunkShapes(Self.tiny), path: "f")
    #expect(matched.count == GPT2Layout.trunkShapes(Self.tiny).count)
    #expect(matched["transformer.ln_f.bias"]?.shape == [4])
  }

  @Test func missingExtraAndMisShapedTensorsAreNamed() {
    let expected = GPT2Layout.trunkShapes(Self.tiny)
    var missing = Self.entries(expected)
    missing["transformer.h.1.mlp.c_fc.bias"] = nil
    #expect(
      throws: ModelsError.missingTensor(
        path: "f", tensor: "transformer.h.1.mlp.c_fc.bias", expectedShape: [16])
    ) { try GPT2Layout.match(missing, expected: expected, path: "f") }

    var extra = Self.entries(expected)
    extra["transformer.h.2.ln_1.weight"] = .init(shape: [4], values: [0, 0, 0, 0])
    #expect(
      throws: ModelsError.unexpectedTensor(
        path: "f", tensor: "transformer.h.2.ln_1.weight", shape: [4])
    ) { try GPT2Layout.match(extra, expected: expected, path: "f") }

    var misShaped = Self.entries(expected)
    misShaped["wpe.weight"] = .init(shape: [4, 8], values: Array(repeating: 0, count: 32))
    misShaped["transformer.wpe.weight"] = nil
    #expect(
      throws: ModelsError.shapeMismatch(
        path: "f", tensor: "wpe.weight", expected: [8, 4], found: [4, 8])
    ) { try GPT2Layout.match(misShaped, expected: expected, path: "f") }
  }

  @Test func optionalTensorsMayBeAbsent() throws {
    let expected =
      GPT2Layout.trunkShapes(Self.tiny) + [
        (GPT2Layout.valueHeadWeight, [1, 4]), (GPT2Layout.valueHeadBias, [1]),
      ]
    let file = Self.entries(GPT2Layout.trunkShapes(Self.tiny))
    let optional: Set = [GPT2Layout.valueHeadWeight, GPT2Layout.valueHeadBias]
    let matched = try GPT2Layout.match(
      file, expected: expected, optional: optional, path: "f")
    #expect(matched[GPT2Layout.valueHeadWeight] == nil)
    #expect(throws: ModelsError.self) {
      try GPT2Layout.match(file, expected: expected, path: "f")
    }
  }
}
