import Foundation
import Models
import Tensors
import Testing

/// Runs the plain-PyTorch GPT-2 in `Reference/gpt2_reference.py` on the same
/// weights and tokens as the Swift model and compares logits, values,
/// log-probabilities, entropies, the LM loss and every parameter gradient.
///
/// The reference computes in float64, so the tolerance bounds the Swift
/// model's float32 error: each tensor must agree within 1e-4 of its largest
/// magnitude.
@Suite struct ReferenceCrossCheckTests {
  static let python = URL(fileURLWithPath: "/usr/bin/python3")
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Reference/gpt2_reference.py")
  static let tolerance: Float = 1e-4

  @Test func swiftModelMatchesPyTorchReference() throws {
    let configuration = GPTConfiguration(
      vocabularySize: 13, contextLength: 16, dModel: 8, layerCount: 2, headCount: 2,
      dropout: 0)
    var generator = RandomGenerator(seed: 7)
    let model = try GPT(configuration: configuration, valueHead: true, generator: &generator)
    // Every weight random (layer norms and biases too), so no term hides.
    var weights = generator.derived("weights")
    for parameter in model.parameters {
      parameter.assign(
        .randomNormal(parameter.value.shape, standardDeviation: 0.5, using: &weights))
    }
    let batch = TokenBatch.leftPadded(
      [[3, 1, 4, 1, 5, 9, 2], [6, 5, 3, 5, 8, 9], [7, 9, 3, 2, 3]], padToken: 0)
    var draws = generator.derived("cotangents")
    let predictions = [batch.batchSize, batch.length - 1]
    let logProbabilityCotangent = Tensor.randomNormal(predictions, using: &draws)
    let valueCotangent = Tensor.randomNormal([batch.batchSize, batch.length], using: &draws)
    let entropyCotangent = Tensor.randomNormal(predictions, using: &draws)

    let tape = Tape()
    let outputs = try model.forward(batch, tape: tape)
    var none: RandomGenerator? = nil
    let loss = try model.languageModelLoss(batch, tape: tape, dropout: &none)
    let values = try #require(outputs.values)
    tape.backward(seeds: [
      (loss, Tensor(1)), (outputs.logProbabilities, logProbabilityCotangent),
      (values, valueCotangent), (outputs.entropy, entropyCotangent),
    ])

    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("gpt2-reference-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try model.save(to: directory.appendingPathComponent("weights.safetensors"))
    let inputs: [String: SafeTensors.Entry] = [
      "tokens": .init(
        shape: [batch.batchSize, batch.length], values: batch.tokens.map(Float.init)),
      "mask": .init(shape: [batch.batchSize, batch.length], values: batch.mask),
      "loss_mask": .init(shape: predictions, values: batch.predictionMask),
      "logprob_cotangent": .init(shape: predictions, values: logProbabilityCotangent.scalars),
      "value_cotangent": .init(shape: valueCotangent.shape, values: valueCotangent.scalars),
      "entropy_cotangent": .init(shape: predictions, values: entropyCotangent.scalars),
    ]
    try SafeTensors.write(inputs, to: directory.appendingPathComponent("inputs.safetensors"))
    try Self.runReference(directory: directory, heads: configuration.headCount)
    let reference = try SafeTensors.read(
      contentsOf: directory.appendingPathComponent("reference.safetensors"))

    func check(_ name: String, _ swift: Tensor?) throws {
      let swift = try #require(swift, "no Swift value for \(name)")
      let expected = try #require(reference[name], "reference lacks \(name)")
      #expect(swift.shape == expected.shape, "\(name) shape")
      let scale = expected.values.map(abs).max() ?? 0
      let error = zip(swift.scalars, expected.values).map { abs($0 - $1) }.max() ?? 0
      #expect(
        error <= Self.tolerance * max(scale, 1e-6),
        "\(name): max error \(error) vs largest magnitude \(scale)")
    }
    try check("logits", model.logits(batch))
    try check("values", values.value)
    try check("logprobs", outputs.logProbabilities.value)
    try check("entropy", outputs.entropy.value)
    try check("loss", loss.value)
    #expect(model.parameters.count == 2 + 12 * 2 + 2 + 2)
    for parameter in model.parameters {
      try check("grad.\(parameter.name)", parameter.grad)
    }
  }

  /// Thrown after recording why the reference could not run.
  struct ReferenceUnavailable: Error {}

  /// Runs the reference script; fails with a message naming `make setup`
  /// when python3 or torch is missing.
  static func runReference(directory: URL, heads: Int) throws {
    let setup = "run `make setup`, which installs Debian's python3-torch"
    guard FileManager.default.isExecutableFile(atPath: python.path) else {
      Issue.record("\(python.path) is missing: \(setup)")
      throw ReferenceUnavailable()
    }
    let process = Process()
    process.executableURL = python
    process.arguments = [script.path, directory.path, "\(heads)"]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let message = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let hint = message.contains("No module named 'torch'") ? "torch is missing: \(setup)" : ""
      Issue.record("reference script failed (\(process.terminationStatus)) \(hint)\n\(message)")
      throw ReferenceUnavailable()
    }
  }
}
