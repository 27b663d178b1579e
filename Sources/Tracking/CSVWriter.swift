import Foundation

/// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF,
/// a field quoted when it holds a comma, a quote, CR or LF, and quotes inside
/// doubled. Output goes to a buffer that is handed to `flush` in chunks.
struct CSVWriter {
  private var buffer: [UInt8] = []
  private let flush: ([UInt8]) throws(TrackingError) -> Void
  private let chunkSize = 1 << 20

  /// A writer that passes each full chunk of bytes to `flush`.
  init(flush: @escaping ([UInt8]) throws(TrackingError) -> Void) {
    self.flush = flush
    buffer.reserveCapacity(chunkSize + 4096)
  }

  /// Appends one record.
  mutating func write(record fields: [String]) throws(TrackingError) {
    for (index, field) in fields.enumerated() {
      if index > 0 { buffer.append(UInt8(ascii: ",")) }
      append(field: field)
    }
    buffer.append(contentsOf: [13, 10])
    if buffer.count >= chunkSize { try finish() }
  }

  /// Appends one record of SQL values: `NULL` as an empty field, reals in
  /// Swift's shortest round-trip form.
  mutating func write(record values: [SQLValue]) throws(TrackingError) {
    try write(record: values.map(Self.field))
  }

  /// Hands what is buffered to `flush`.
  mutating func finish() throws(TrackingError) {
    guard !buffer.isEmpty else { return }
    try flush(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  /// `text` as one field, quoted when needed.
  static func quoted(_ text: String) -> String {
    var writer = CSVWriter { _ throws(TrackingError) in }
    writer.append(field: text)
    return String(decoding: writer.buffer, as: UTF8.self)
  }

  private static func field(_ value: SQLValue) -> String {
    switch value {
    case .null: ""
    case .integer(let number): String(number)
    case .real(let number): number.description
    case .text(let text): text
    case .blob(let bytes): bytes.map { String($0, radix: 16) }.joined()
    }
  }

  private mutating func append(field: String) {
    let bytes = field.utf8
    let needsQuotes = bytes.contains { $0 == 44 || $0 == 34 || $0 == 13 || $0 == 10 }
    guard needsQuotes else {
      buffer.append(contentsOf: bytes)
      return
    }
    buffer.append(34)
    for byte in bytes {
      if byte == 34 { buffer.append(34) }
      buffer.append(byte)
    }
    buffer.append(34)
  }
}
