/// What a merge of run shards added to the main store; all zeros when the
/// shards were already merged.
public struct MergeSummary: Hashable, Sendable {
  /// Shard files read.
  public var shards = 0
  /// Runs new to the main store.
  public var runs = 0
  /// Iterations added (each with its statistics and episodes).
  public var iterations = 0
  /// Training and evaluation episodes added.
  public var episodes = 0
  /// Evaluation metrics added.
  public var evaluations = 0

  /// An empty summary.
  public init() {}

  /// The sum of two summaries.
  public static func + (lhs: MergeSummary, rhs: MergeSummary) -> MergeSummary {
    var sum = lhs
    sum.shards += rhs.shards
    sum.runs += rhs.runs
    sum.iterations += rhs.iterations
    sum.episodes += rhs.episodes
    sum.evaluations += rhs.evaluations
    return sum
  }
}
