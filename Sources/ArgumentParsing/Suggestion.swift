/// "Did you mean …?" suggestions by edit distance.
public enum Suggestion {
  /// The candidate closest to `word` by Levenshtein distance, if it is close
  /// enough to be a plausible typo: at most a third of the longer word's
  /// length (and at least one edit). Ties go to the earlier candidate.
  public static func closest(to word: String, among candidates: [String]) -> String? {
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(word, candidate)
      if distance < (best?.distance ?? Int.max) {
        best = (candidate, distance)
      }
    }
    guard let best else { return nil }
    let limit = max(1, max(word.count, best.candidate.count) / 3)
    return best.distance <= limit ? best.candidate : nil
  }

  /// The Levenshtein distance between `a` and `b`, counted in characters:
  /// insertions, deletions and substitutions each cost one.
  public static func editDistance(_ a: String, _ b: String) -> Int {
    let source = Array(a)
    let target = Array(b)
    if source.isEmpty { return target.count }
    if target.isEmpty { return source.count }
    var previous = Array(0...target.count)
    var current = [Int](repeating: 0, count: target.count + 1)
    for i in 1...source.count {
      current[0] = i
      for j in 1...target.count {
        let substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[target.count]
  }
}
