/// A position in a YAML source: the file name and a 1-based line and column.
///
/// Printed as `file:line:column`, the form compilers use, so editors can jump
/// to it. A mark with line 0 names a source without lines (a command-line
/// override) and prints as the file name alone.
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
  /// The file name (or a label for a source that is not a file).
  public var file: String
  /// The 1-based line; 0 when the source has no lines.
  public var line: Int
  /// The 1-based column, counted in Unicode scalars as libyaml counts them.
  public var column: Int

  /// A mark at `line` and `column` (both 1-based) of `file`.
  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// `file:line:column`, or the file name alone when `line` is 0.
  public var description: String {
    line == 0 ? file : "\(file):\(line):\(column)"
  }
}
