/// Did-you-mean suggestions by edit distance.
public enum Spelling {
  /// The candidate closest to `word` by `distance(_:_:)`, when it is close
  /// enough to be a likely typo: at most 2 edits, or a third of the word for
  /// longer words. Ties go to the candidate sharing the longest prefix with
  /// the word (`ppo.lamda` → `ppo.lam`, not `ppo.gamma`), then to the
  /// earlier one.
  public static func closest(to word: String, among candidates: [String])
    -> String?
  {
    if let expanded = expansion(of: word, among: candidates) { return expanded }
    let limit = max(2, word.count / 3)
    let lowered = word.lowercased()
    var best: (name: String, distance: Int, prefix: Int)?
    for candidate in candidates {
      let other = candidate.lowercased()
      let distance = self.distance(lowered, other)
      guard distance <= limit else { continue }
      let prefix = zip(lowered, other).prefix { $0 == $1 }.count
      if let best, (best.distance, -best.prefix) <= (distance, -prefix) {
        continue
      }
      best = (candidate, distance, prefix)
    }
    return best?.name
  }

  /// The one candidate that `word` abbreviates by initials: the same
  /// dotted parts but the last, whose `_`-separated words' first letters
  /// spell the word's last part (`ppo.lr` → `ppo.learning_rate`).
  static func expansion(of word: String, among candidates: [String]) -> String? {
    let parts = word.lowercased().split(separator: ".", omittingEmptySubsequences: false)
    guard let last = parts.last, last.count >= 2 else { return nil }
    let matches = candidates.filter { candidate in
      let other = candidate.lowercased().split(separator: ".", omittingEmptySubsequences: false)
      guard other.count == parts.count, other.dropLast() == parts.dropLast(),
        let words = other.last?.split(separator: "_"), words.count == last.count
      else { return false }
      return String(words.compactMap(\.first)) == last
    }
    return matches.count == 1 ? matches.first : nil
  }

  /// Edit distance in Unicode scalars, counting an insertion, a deletion, a
  /// substitution or a swap of two adjacent scalars as one edit (the
  /// optimal string alignment distance), so `alhpa` is one edit from `alpha`.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    // table[i][j]: distance between the first i scalars of a and j of b.
    var table = [[Int]](repeating: Array(0...b.count), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        table[i][j] = min(
          table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[a.count][b.count]
  }
}
