import Foundation

/// Reading and writing the safetensors format used by Hugging Face
/// checkpoints.
///
/// A file is an 8-byte little-endian header length `n`, then `n` bytes of
/// JSON mapping each tensor name to `{"dtype", "shape", "data_offsets"}` (an
/// optional `"__metadata__"` maps strings to strings), then the raw
/// little-endian data; `data_offsets` are byte ranges into that data. This
/// reader converts F32, F16, BF16 and F64 to `Float` (F16 and BF16 exactly,
/// F64 by rounding); the writer stores F32.
public enum SafeTensors {
  /// One tensor of a file: its shape and its values, row-major.
  public struct Entry: Equatable, Sendable {
    /// The dimensions, outermost first; `[]` is a scalar.
    public var shape: [Int]
    /// `shape.reduce(1, *)` values in row-major order.
    public var values: [Float]

    /// An entry of `shape` holding `values` (row-major).
    ///
    /// - Precondition: `values.count` is the product of `shape`.
    public init(shape: [Int], values: [Float]) {
      precondition(
        values.count == shape.reduce(1, *),
        "\(values.count) values do not fill shape \(shape)")
      self.shape = shape
      self.values = values
    }
  }

  /// The element types a file may store, by their safetensors names.
  public enum DType: String, CaseIterable, Sendable {
    /// IEEE 754 binary32.
    case f32 = "F32"
    /// IEEE 754 binary16.
    case f16 = "F16"
    /// bfloat16: the upper half of a binary32.
    case bf16 = "BF16"
    /// IEEE 754 binary64, rounded to `Float` on reading.
    case f64 = "F64"

    /// Bytes per element.
    public var byteCount: Int {
      switch self {
      case .f32: 4
      case .f16, .bf16: 2
      case .f64: 8
      }
    }

    /// The names this reader accepts, for error messages.
    public static var allowedList: String {
      allCases.map(\.rawValue).joined(separator: ", ")
    }
  }

  /// The largest header this reader accepts, in bytes (as the reference
  /// implementation does, to refuse garbage lengths before allocating).
  public static let maximumHeaderBytes = 100_000_000

  // MARK: - Reading

  /// Reads every tensor of the file at `url`.
  ///
  /// - Throws: `ModelsError.unreadableFile`, `.malformedHeader`,
  ///   `.unsupportedDType` or `.truncatedTensor`, each naming the file (and
  ///   the tensor, where one is at fault).
  public static func read(contentsOf url: URL) throws(ModelsError) -> [String: Entry] {
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
      throw .unreadableFile(path: url.path, reason: error.localizedDescription)
    }
    return try decode(data, path: url.path)
  }

  /// Decodes a whole safetensors file held in `data`; `path` names it in
  /// errors.
  public static func decode(_ data: Data, path: String) throws(ModelsError) -> [String: Entry] {
    let header = try parseHeader(data, path: path)
    let dataStart = 8 + header.byteCount
    let available = data.count - dataStart
    var entries: [String: Entry] = [:]
    for (name, info) in header.tensors {
      let count = info.shape.reduce(1, *)
      let expected = count * info.dtype.byteCount
      let (begin, end) = (info.offsets[0], info.offsets[1])
      guard end - begin == expected else {
        throw .truncatedTensor(
          path: path, tensor: name, shape: info.shape,
          expectedBytes: expected, foundBytes: end - begin)
      }
      guard end <= available else {
        throw .truncatedTensor(
          path: path, tensor: name, shape: info.shape,
          expectedBytes: expected, foundBytes: max(0, available - begin))
      }
      let values = data.withUnsafeBytes { raw in
        convert(
          UnsafeRawBufferPointer(rebasing: raw[(dataStart + begin)..<(dataStart + end)]),
          dtype: info.dtype, count: count)
      }
      entries[name] = Entry(shape: info.shape, values: values)
    }
    return entries
  }

  /// The tensor names and shapes of the file at `url`, without converting
  /// any data.
  public static func shapes(contentsOf url: URL) throws(ModelsError) -> [String: [Int]] {
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
      throw .unreadableFile(path: url.path, reason: error.localizedDescription)
    }
    return try parseHeader(data, path: url.path).tensors.mapValues(\.shape)
  }

  /// The `__metadata__` strings of the file at `url` (empty when it has
  /// none), without converting any data.
  public static func metadata(contentsOf url: URL) throws(ModelsError) -> [String: String] {
    let data: Data
    do {
      data = try Data(contentsOf: url, options: .alwaysMapped)
    } catch {
      throw .unreadableFile(path: url.path, reason: error.localizedDescription)
    }
    return try parseHeader(data, path: url.path).metadata
  }

  // MARK: - Writing

  /// Encodes `tensors` as F32 in a safetensors file image.
  ///
  /// Names are written in sorted order with consecutive data ranges, so the
  /// same tensors always give the same bytes (checkpoint hashes are stable).
  /// The header is padded with spaces to a multiple of 8 bytes.
  public static func encode(
    _ tensors: [String: Entry], metadata: [String: String] = [:]
  ) -> Data {
    let names = tensors.keys.sorted()
    var fields: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.keys.sorted().map { key in
        "\(jsonString(key)):\(jsonString(metadata[key] ?? ""))"
      }
      fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for name in names {
      let entry = tensors[name]!
      let bytes = entry.values.count * 4
      let shape = entry.shape.map(String.init).joined(separator: ",")
      fields.append(
        "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],"
          + "\"data_offsets\":[\(offset),\(offset + bytes)]}")
      offset += bytes
    }
    var header = Array("{\(fields.joined(separator: ","))}".utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

    var data = Data(capacity: 8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: header)
    for name in names {
      tensors[name]!.values.withUnsafeBufferPointer { buffer in
        let littleEndian = buffer.map { $0.bitPattern.littleEndian }
        littleEndian.withUnsafeBytes { data.append(contentsOf: $0) }
      }
    }
    return data
  }

  /// Writes `tensors` as an F32 safetensors file at `url`, atomically (a
  /// failed write leaves no partial file).
  ///
  /// - Throws: `ModelsError.unreadableFile` naming the file when it cannot
  ///   be written.
  public static func write(
    _ tensors: [String: Entry], metadata: [String: String] = [:], to url: URL
  ) throws(ModelsError) {
    do {
      try encode(tensors, metadata: metadata).write(to: url, options: .atomic)
    } catch {
      throw .unreadableFile(path: url.path, reason: error.localizedDescription)
    }
  }

  // MARK: - Header

  private struct TensorInfo {
    var dtype: DType
    var shape: [Int]
    var offsets: [Int]
  }

  private struct Header {
    var byteCount: Int
    var tensors: [String: TensorInfo]
    var metadata: [String: String]
  }

  private static func parseHeader(_ data: Data, path: String) throws(ModelsError) -> Header {
    guard data.count >= 8 else {
      throw .malformedHeader(
        path: path, reason: "file has \(data.count) bytes, fewer than the 8-byte length")
    }
    let length = data.prefix(8).enumerated().reduce(UInt64(0)) { sum, pair in
      sum | (UInt64(pair.element) << (8 * UInt64(pair.offset)))
    }
    guard length <= UInt64(maximumHeaderBytes), Int(length) <= data.count - 8 else {
      throw .malformedHeader(
        path: path,
        reason: "header length \(length) exceeds the file (\(data.count) bytes) "
          + "or the limit of \(maximumHeaderBytes) bytes")
    }
    let json = data.subdata(in: 8..<(8 + Int(length)))
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: json)
    } catch {
      throw .malformedHeader(path: path, reason: "header is not JSON")
    }
    guard let fields = object as? [String: Any] else {
      throw .malformedHeader(path: path, reason: "header is not a JSON object")
    }
    var tensors: [String: TensorInfo] = [:]
    for (name, value) in fields where name != "__metadata__" {
      tensors[name] = try tensorInfo(value, name: name, path: path)
    }
    let metadata = (fields["__metadata__"] as? [String: Any] ?? [:]).compactMapValues {
      $0 as? String
    }
    return Header(byteCount: Int(length), tensors: tensors, metadata: metadata)
  }

  private static func tensorInfo(
    _ value: Any, name: String, path: String
  ) throws(ModelsError) -> TensorInfo {
    guard let fields = value as? [String: Any],
      let dtypeName = fields["dtype"] as? String,
      let shape = integers(fields["shape"]),
      let offsets = integers(fields["data_offsets"])
    else {
      throw .malformedHeader(
        path: path,
        reason: "tensor '\(name)' needs dtype (string), shape and data_offsets "
          + "(arrays of integers)")
    }
    guard let dtype = DType(rawValue: dtypeName) else {
      throw .unsupportedDType(path: path, tensor: name, dtype: dtypeName)
    }
    guard shape.allSatisfy({ $0 >= 0 }), offsets.count == 2,
      offsets[0] >= 0, offsets[0] <= offsets[1]
    else {
      throw .malformedHeader(
        path: path,
        reason: "tensor '\(name)' has shape \(shape) and data_offsets \(offsets) "
          + "(expected non-negative dimensions and [begin, end] with begin <= end)")
    }
    return TensorInfo(dtype: dtype, shape: shape, offsets: offsets)
  }

  private static func integers(_ value: Any?) -> [Int]? {
    guard let array = value as? [Any] else { return nil }
    var result: [Int] = []
    for element in array {
      guard let number = element as? NSNumber,
        number.doubleValue == number.doubleValue.rounded()
      else { return nil }
      result.append(number.intValue)
    }
    return result
  }

  // MARK: - Conversion

  private static func convert(
    _ bytes: UnsafeRawBufferPointer, dtype: DType, count: Int
  ) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
      for index in 0..<count {
        let at = index * dtype.byteCount
        switch dtype {
        case .f32:
          let bits = bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)
          buffer[index] = Float(bitPattern: UInt32(littleEndian: bits))
        case .f64:
          let bits = bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)
          buffer[index] = Float(Double(bitPattern: UInt64(littleEndian: bits)))
        case .bf16:
          let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
          buffer[index] = Float(bitPattern: UInt32(bits) << 16)
        case .f16:
          let bits = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
          buffer[index] = halfToFloat(bits)
        }
      }
      initialised = count
    }
  }

  /// Exact binary16 → binary32, including subnormals, infinities and NaN.
  static func halfToFloat(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int((bits >> 10) & 0x1f)
    let mantissa = UInt32(bits & 0x3ff)
    if exponent == 0x1f {
      return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13))
    }
    if exponent == 0 {
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    }
    return Float(bitPattern: sign | (UInt32(exponent + 112) << 23) | (mantissa << 13))
  }

  private static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case _ where scalar.value < 0x20:
        result += "\\u" + String(format: "%04x", scalar.value)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
