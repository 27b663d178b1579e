import Foundation

/// The end of a run's log file, shown when the run fails.
public enum LogTail {
  /// The last `count` non-empty lines of the file at `url` (fewer when the
  /// file has fewer; none when it cannot be read). Reads at most the last
  /// 64 KiB.
  public static func lines(of url: URL, count: Int) -> [String] {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
    defer { try? handle.close() }
    guard let size = try? handle.seekToEnd() else { return [] }
    let start = size > 65_536 ? size - 65_536 : 0
    guard (try? handle.seek(toOffset: start)) != nil,
      let data = try? handle.readToEnd()
    else { return [] }
    let lines = String(decoding: data, as: UTF8.self)
      .split(whereSeparator: \.isNewline).map(String.init)
    return Array(lines.suffix(count))
  }
}
