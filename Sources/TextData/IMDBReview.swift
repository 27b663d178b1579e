import Foundation

/// One review of the Large Movie Review Dataset (Maas et al., ACL 2011).
public struct IMDBReview: Sendable, Equatable {
  /// Which half of the data set a review belongs to.
  public enum Split: String, Sendable, CaseIterable, Comparable {
    /// The 25,000 training reviews.
    case train
    /// The 25,000 test reviews.
    case test

    /// Train before test.
    public static func < (lhs: Split, rhs: Split) -> Bool {
      lhs == .train && rhs == .test
    }
  }

  /// The sentiment label: `pos` (rating ≥ 7) or `neg` (rating ≤ 4).
  public enum Label: String, Sendable, CaseIterable, Comparable {
    /// A negative review, folder `neg`.
    case negative = "neg"
    /// A positive review, folder `pos`.
    case positive = "pos"

    /// Negative before positive, as the folders sort.
    public static func < (lhs: Label, rhs: Label) -> Bool {
      lhs == .negative && rhs == .positive
    }
  }

  /// The number before `_` in the file name; unique within split and label.
  public var id: Int
  /// The half the review is in.
  public var split: Split
  /// Its sentiment label.
  public var label: Label
  /// The star rating after `_` in the file name, 1...10.
  public var rating: Int
  /// The review text with each `<br />` replaced by a space.
  public var text: String

  /// A key unique over the data set: `train/pos/123`.
  public var key: String { "\(split.rawValue)/\(label.rawValue)/\(id)" }

  /// A review.
  public init(
    id: Int, split: Split, label: Label, rating: Int, text: String
  ) {
    self.id = id
    self.split = split
    self.label = label
    self.rating = rating
    self.text = text
  }
}
