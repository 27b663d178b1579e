/// The frozen reference policy π_ref.
public protocol ReferencePolicy: AnyObject {
  /// log π_ref of each response token, per episode (ragged).
  func logProbs(prompts: [[Int]], responses: [[Int]]) throws -> [[Double]]
}
