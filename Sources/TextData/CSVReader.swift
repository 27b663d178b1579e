/// Reads comma-separated values as RFC 4180 defines them: fields separated
/// by `,`, records by CRLF or LF, fields optionally in double quotes, where
/// they may hold commas, line breaks and doubled quotes (`""` for `"`).
///
/// The file is held in memory (the CSV files here are tens of megabytes at
/// most) and records are handed out one at a time.
struct CSVReader {
  /// One record: its fields and the 1-based line it starts on.
  struct Record {
    var line: Int
    var fields: [String]
  }

  private let bytes: [UInt8]
  private let file: String
  private var index = 0
  private var line = 1

  /// A reader over `bytes`, read from `file`.
  init(bytes: [UInt8], file: String) {
    self.bytes = bytes
    self.file = file
    // A UTF-8 byte order mark is not part of the first field.
    if bytes.starts(with: [0xef, 0xbb, 0xbf]) { index = 3 }
  }

  /// The next record, or nil at the end; a last empty line is no record.
  ///
  /// - Throws: `unterminatedQuote`, `strayQuote` or `invalidUTF8`, each with
  ///   the line of the fault.
  mutating func next() throws(TextDataError) -> Record? {
    guard index < bytes.count else { return nil }
    let start = line
    var fields = [String]()
    var field = [UInt8]()
    while true {
      let fieldLine = line
      field.removeAll(keepingCapacity: true)
      if index < bytes.count, bytes[index] == 0x22 {
        index += 1
        try readQuoted(into: &field, from: fieldLine)
      } else {
        while index < bytes.count {
          let byte = bytes[index]
          if byte == 0x2c || byte == 0x0a || byte == 0x0d { break }
          if byte == 0x22 { throw .strayQuote(file: file, line: line) }
          field.append(byte)
          index += 1
        }
      }
      guard let text = String(validating: field, as: UTF8.self) else {
        throw .invalidUTF8(file: file, line: fieldLine)
      }
      fields.append(text)
      guard index < bytes.count else { break }
      let byte = bytes[index]
      index += 1
      if byte == 0x2c { continue }
      if byte == 0x0d, index < bytes.count, bytes[index] == 0x0a {
        index += 1
      } else if byte != 0x0a && byte != 0x0d {
        throw .strayQuote(file: file, line: line)
      }
      line += 1
      break
    }
    return Record(line: start, fields: fields)
  }

  /// Reads a quoted field after its opening quote, up to its closing one.
  private mutating func readQuoted(
    into field: inout [UInt8], from startLine: Int
  ) throws(TextDataError) {
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      if byte == 0x22 {
        if index < bytes.count, bytes[index] == 0x22 {
          field.append(0x22)
          index += 1
          continue
        }
        if index < bytes.count {
          let after = bytes[index]
          guard after == 0x2c || after == 0x0a || after == 0x0d else {
            throw .strayQuote(file: file, line: line)
          }
        }
        return
      }
      if byte == 0x0a { line += 1 }
      field.append(byte)
    }
    throw .unterminatedQuote(file: file, line: startLine)
  }
}
