import Foundation
import Testing

@testable import Models

@Suite struct SafeTensorsTests {
  /// A file image built by hand: header JSON, then the raw data.
  static func image(header: String, data: [UInt8]) -> Data {
    var bytes = Data()
    let json = Array(header.utf8)
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: json)
    bytes.append(contentsOf: data)
    return bytes
  }

  @Test func roundTripKeepsNamesShapesValuesAndIsDeterministic() throws {
    let tensors: [String: SafeTensors.Entry] = [
      "b": .init(shape: [2, 3], values: [1, -2, 3.5, 0, .pi, -1e-30]),
      "a": .init(shape: [], values: [42]),
      "c\"quoted\"": .init(shape: [0, 4], values: []),
    ]
    let encoded = SafeTensors.encode(tensors, metadata: ["format": "pt"])
    let again = SafeTensors.encode(tensors, metadata: ["format": "pt"])
    #expect(encoded == again)
    let headerLength = encoded.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
    #expect(headerLength % 8 == 0)
    let decoded = try SafeTensors.decode(encoded, path: "memory")
    #expect(decoded == tensors)
  }

  @Test func readsHalfAndBFloat16AndDouble() throws {
    // F16: 1.0 = 0x3c00, -2.0 = 0xc000, smallest subnormal 0x0001 = 2^-24.
    // BF16: 1.0 = 0x3f80, -0.5 = 0xbf00. F64: 0.25.
    let header =
      #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"#
      + #""b":{"dtype":"BF16","shape":[2],"data_offsets":[6,10]},"#
      + #""d":{"dtype":"F64","shape":[1],"data_offsets":[10,18]}}"#
    var data: [UInt8] = [0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0x80, 0x3f, 0x00, 0xbf]
    withUnsafeBytes(of: Double(0.25).bitPattern.littleEndian) { data += $0 }
    let decoded = try SafeTensors.decode(Self.image(header: header, data: data), path: "m")
    #expect(decoded["h"]?.values == [1, -2, 0x1p-24])
    #expect(decoded["b"]?.values == [1, -0.5])
    #expect(decoded["d"]?.values == [0.25])
  }

  @Test func halfConversionCoversSpecialValues() {
    #expect(SafeTensors.halfToFloat(0x7c00) == .infinity)
    #expect(SafeTensors.halfToFloat(0xfc00) == -.infinity)
    #expect(SafeTensors.halfToFloat(0x7e00).isNaN)
    #expect(SafeTensors.halfToFloat(0x7bff) == 65504)
    #expect(SafeTensors.halfToFloat(0x8000).sign == .minus)
  }

  @Test func truncatedFileNamesTheTensorAndShape() throws {
    let tensors: [String: SafeTensors.Entry] = [
      "weight": .init(shape: [4, 2], values: Array(repeating: 1, count: 8))
    ]
    let encoded = SafeTensors.encode(tensors)
    let cut = Data(encoded.prefix(encoded.count - 5))
    let expected = ModelsError.truncatedTensor(
      path: "x.safetensors", tensor: "weight", shape: [4, 2],
      expectedBytes: 32, foundBytes: 27)
    #expect(throws: expected) { try SafeTensors.decode(cut, path: "x.safetensors") }
    #expect(expected.description.contains("'weight' of shape [4, 2]"))
  }

  @Test func byteCountDisagreeingWithShapeIsRefused() {
    let header = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
    let file = Self.image(header: header, data: Array(repeating: 0, count: 8))
    let expected = ModelsError.truncatedTensor(
      path: "f", tensor: "w", shape: [3], expectedBytes: 12, foundBytes: 8)
    #expect(throws: expected) { try SafeTensors.decode(file, path: "f") }
  }

  @Test(arguments: [
    (#"{"w":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}}"#, "dtype 'I8'"),
    ("[1, 2]", "not a JSON object"),
    (#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}"#, "shape [-1]"),
    (#"{"w":{"dtype":"F32","shape":[1]}}"#, "needs dtype"),
    ("not json", "not JSON"),
  ])
  func malformedHeadersAreRefusedWithAReason(header: String, fragment: String) {
    let file = Self.image(header: header, data: Array(repeating: 0, count: 8))
    do {
      _ = try SafeTensors.decode(file, path: "f")
      Issue.record("accepted a malformed header: \(header)")
    } catch {
      #expect(error.description.contains(fragment), "\(error.description)")
    }
  }

  @Test func headerLengthPastTheEndIsRefused() {
    var file = Self.image(header: "{}", data: [])
    file[0] = 200
    #expect(throws: ModelsError.self) { try SafeTensors.decode(file, path: "f") }
    #expect(throws: ModelsError.self) { try SafeTensors.decode(Data([1, 2]), path: "f") }
  }

  @Test func writesAndReadsFiles() throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("models-\(UUID().uuidString).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    let tensors: [String: SafeTensors.Entry] = ["x": .init(shape: [2], values: [3, 4])]
    try SafeTensors.write(tensors, to: url)
    #expect(try SafeTensors.read(contentsOf: url) == tensors)
    #expect(try SafeTensors.shapes(contentsOf: url) == ["x": [2]])
    let missing = url.appendingPathExtension("missing")
    #expect(throws: ModelsError.self) { try SafeTensors.read(contentsOf: missing) }
  }
}
