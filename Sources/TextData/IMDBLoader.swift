import Foundation

/// Reads IMDB reviews in the aclImdb layout,
/// `aclImdb/{train,test}/{pos,neg}/ID_RATING.txt`, from a `.tar.gz` archive
/// (Stanford's `aclImdb_v1.tar.gz` or the shared labeled subset) or from an
/// unpacked folder. Other members (`unsup/`, `.feat` files, URL lists) are
/// skipped.
public enum IMDBLoader {
  /// Calls `body` with each review, in archive or folder order, without
  /// holding more than one member in memory.
  ///
  /// - Parameter url: a `.tar.gz` file, an `aclImdb` folder or its parent.
  /// - Throws: `TextDataError` naming the file or archive member at fault;
  ///   `noReviews` when nothing in the layout is found.
  public static func forEachReview(
    at url: URL, _ body: (IMDBReview) throws(TextDataError) -> Void
  ) throws(TextDataError) {
    var found = 0
    if isDirectory(url) {
      for (path, relative) in try reviewFiles(in: url) {
        guard let place = place(of: relative) else { continue }
        let contents = try readBytes(path)
        try body(try review(contents, place, file: path.path))
        found += 1
      }
    } else {
      let archive = try TarReader(url: url)
      while let member = try archive.next() {
        guard let place = place(of: member.name) else { continue }
        let file = url.path + ":" + member.name
        try body(try review(member.contents, place, file: file))
        found += 1
      }
    }
    if found == 0 { throw .noReviews(file: url.path) }
  }

  /// Every review, sorted by split (train first), label (neg first) and id.
  public static func reviews(at url: URL) throws(TextDataError)
    -> [IMDBReview]
  {
    var reviews = [IMDBReview]()
    reviews.reserveCapacity(50_000)
    try forEachReview(at: url) { reviews.append($0) }
    reviews.sort {
      ($0.split, $0.label, $0.id) < ($1.split, $1.label, $1.id)
    }
    return reviews
  }

  /// The reviews of a data directory's IMDB archive or folder.
  public static func reviews(in data: DataDirectory) throws(TextDataError)
    -> [IMDBReview]
  {
    try reviews(at: data.url(for: .imdb))
  }

  // MARK: - Members

  private struct Place {
    var split: IMDBReview.Split
    var label: IMDBReview.Label
    var fileName: Substring
  }

  /// Split, label and file name when `path` is a review in the layout.
  private static func place(of path: String) -> Place? {
    let parts = path.split(separator: "/")
    guard parts.count >= 3, parts[parts.count - 1].hasSuffix(".txt"),
      let split = IMDBReview.Split(rawValue: String(parts[parts.count - 3])),
      let label = IMDBReview.Label(rawValue: String(parts[parts.count - 2]))
    else { return nil }
    return Place(split: split, label: label, fileName: parts[parts.count - 1])
  }

  private static func review(
    _ contents: [UInt8], _ place: Place, file: String
  ) throws(TextDataError) -> IMDBReview {
    let stem = place.fileName.dropLast(4).split(
      separator: "_", omittingEmptySubsequences: false)
    guard stem.count == 2, let id = Int(stem[0]), id >= 0,
      let rating = Int(stem[1]), (1...10).contains(rating)
    else { throw .badReviewName(file: file) }
    guard let text = String(validating: replacingBreaks(contents), as: UTF8.self)
    else { throw .invalidUTF8(file: file, line: nil) }
    return IMDBReview(
      id: id, split: place.split, label: place.label, rating: rating,
      text: text)
  }

  /// `bytes` with every `<br />` replaced by one space.
  static func replacingBreaks(_ bytes: [UInt8]) -> [UInt8] {
    let tag = Array("<br />".utf8)
    var output = [UInt8]()
    output.reserveCapacity(bytes.count)
    bytes.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress else { return }
      var index = 0
      // memchr keeps this fast in debug builds too: reviews are 65 MB.
      while index < bytes.count {
        let rest = bytes.count - index
        guard let found = memchr(base + index, 0x3c, rest) else {
          output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index...]))
          break
        }
        let at = base.distance(
          to: found.assumingMemoryBound(to: UInt8.self))
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<at]))
        if at + tag.count <= bytes.count,
          memcmp(base + at, tag, tag.count) == 0
        {
          output.append(0x20)
          index = at + tag.count
        } else {
          output.append(0x3c)
          index = at + 1
        }
      }
    }
    return output
  }

  /// Review files under a folder, with their paths relative to it.
  private static func reviewFiles(
    in folder: URL
  ) throws(TextDataError) -> [(URL, String)] {
    var files = [(URL, String)]()
    for split in IMDBReview.Split.allCases {
      for label in IMDBReview.Label.allCases {
        let relative = "\(split.rawValue)/\(label.rawValue)"
        var labelFolder = folder.appendingPathComponent("aclImdb/" + relative)
        if !isDirectory(labelFolder) {
          labelFolder = folder.appendingPathComponent(relative)
        }
        guard isDirectory(labelFolder) else { continue }
        let names: [String]
        do {
          names = try FileManager.default.contentsOfDirectory(
            atPath: labelFolder.path)
        } catch {
          throw .unreadable(file: labelFolder.path, reason: describe(error))
        }
        for name in names.sorted() where name.hasSuffix(".txt") {
          files.append(
            (labelFolder.appendingPathComponent(name), relative + "/" + name))
        }
      }
    }
    return files
  }
}
