/// One comment of the Jigsaw Toxic Comment Classification data (Kaggle,
/// 2018), from `train.csv`, the paper's `test.csv` or `balanced_binary.csv`.
public struct JigsawComment: Sendable, Equatable {
  /// Which file a comment came from.
  public enum Source: String, Sendable, CaseIterable {
    /// `train.csv`, Kaggle's columns with an `id`.
    case train
    /// `test.csv`, the paper's balanced 7,708-comment test set.
    case test
    /// `balanced_binary.csv`, `comment_text` and `toxic` only.
    case balanced
  }

  /// The `id` column when the file has one, else `SOURCE:N` with N the
  /// 1-based record number in the file.
  public var id: String
  /// The file the comment came from.
  public var source: Source
  /// The comment text, as published.
  public var text: String
  /// The `toxic` label.
  public var isToxic: Bool
  /// Every 0/1 label column of the file by name (`toxic`, `severe_toxic`,
  /// `obscene`, `threat`, `insult`, `identity_hate` where present).
  public var labels: [String: Bool]
  /// The 1-based line of the file the record starts on.
  public var line: Int

  /// A comment.
  public init(
    id: String, source: Source, text: String, isToxic: Bool,
    labels: [String: Bool], line: Int
  ) {
    self.id = id
    self.source = source
    self.text = text
    self.isToxic = isToxic
    self.labels = labels
    self.line = line
  }
}
