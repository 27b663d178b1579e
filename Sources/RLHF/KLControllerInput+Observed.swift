import Configuration

/// Which KL the controller is fed after each iteration (`risk.kl_input`).
///
/// The authors' code (`.code`) passes TRL's `objective/kl`: the per-episode
/// sum of log π − log π_ref over response tokens, with the risk mask applied
/// (rows outside the tail count as zero), averaged over all B rows. The
/// paper's text (`.paper`) says the average KL over the kept episodes; that
/// divides by the number of kept episodes instead.
extension KLControllerInput {

  /// The KL to feed the controller.
  ///
  /// - Parameters:
  ///   - episodeKL: per-episode Σₜ (log π − log π_ref) over response tokens,
  ///     `[B]`.
  ///   - kept: whether each episode is kept (in the tail), `[B]`.
  /// - Returns: the observed KL in nats per episode; 0 when nothing is kept.
  public func observedKL(episodeKL: [Double], kept: [Bool]) -> Double {
    precondition(episodeKL.count == kept.count, "episodeKL and kept differ")
    var sum = 0.0
    var keptCount = 0
    for (kl, isKept) in zip(episodeKL, kept) where isKept {
      sum += kl
      keptCount += 1
    }
    switch self {
    case .code:
      return episodeKL.isEmpty ? 0 : sum / Double(episodeKL.count)
    case .paper:
      return keptCount == 0 ? 0 : sum / Double(keptCount)
    }
  }
}
