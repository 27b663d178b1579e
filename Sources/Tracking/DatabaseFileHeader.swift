import Foundation

/// The first 100 bytes of an SQLite file, checked before SQLite opens it.
///
/// SQLite reads a file lazily, so a truncated file only fails when a missing
/// page is reached, possibly half-way through a report. Checking the header's
/// magic string, page size and page count up front refuses a file that is not
/// a database, or is shorter than its header says, with an error naming it.
/// Layout: https://sqlite.org/fileformat2.html#the_database_header.
enum DatabaseFileHeader {
  static let magic = Array("SQLite format 3\0".utf8)

  /// Throws when `path` exists and is not a whole SQLite database; a missing
  /// or empty file passes (SQLite creates a new database there).
  static func check(path: String) throws(TrackingError) {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = (attributes[.size] as? NSNumber)?.intValue
    else { return }
    if attributes[.type] as? FileAttributeType == .typeDirectory {
      throw .cannotOpen(path: path, detail: "it is a folder, expected a database file")
    }
    guard size > 0 else { return }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw .cannotOpen(path: path, detail: "the file cannot be read")
    }
    defer { try? handle.close() }
    let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
    guard header.count == 100, Array(header[0..<16]) == magic else {
      throw .notADatabase(path: path)
    }
    let rawPageSize = Int(header[16]) << 8 | Int(header[17])
    let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
    guard pageSize >= 512, pageSize & (pageSize - 1) == 0 else {
      throw .corrupt(path: path, detail: "page size \(rawPageSize) in the header")
    }
    guard size % pageSize == 0 else {
      throw .corrupt(
        path: path,
        detail: "\(size) bytes is not a whole number of \(pageSize)-byte pages")
    }
    // A non-empty WAL may hold the newest pages (a checkpoint cut short by a
    // crash), so the page count is only compared when the WAL is empty.
    let walSize =
      (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))
      .flatMap { ($0[.size] as? NSNumber)?.intValue } ?? 0
    let pages = word(header, at: 28)
    let counterMatches = word(header, at: 24) == word(header, at: 92)
    if walSize == 0, counterMatches, pages > 0, size < pages * pageSize {
      throw .corrupt(
        path: path,
        detail: "the file has \(size) bytes but its header counts \(pages) pages "
          + "of \(pageSize) bytes")
    }
  }

  /// The big-endian 32-bit word at `offset`.
  private static func word(_ bytes: [UInt8], at offset: Int) -> Int {
    bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
  }
}
