/// Inside the module the algorithm reads as `Algorithm`; it is nested in
/// `RunSummary` so that it does not clash with `Configuration.Algorithm` in
/// code importing both modules.
typealias Algorithm = RunSummary.Algorithm

extension RunSummary {
  /// The four kinds of model a run produces, as stored in `runs.algorithm`.
  ///
  /// The order of the cases is the order of the paper's table rows.
  public enum Algorithm: String, CaseIterable, Sendable, Hashable, Comparable {
    /// The pretrained model before any fine-tuning.
    case base
    /// Supervised fine-tuning on the task's preferred texts.
    case sft
    /// PPO on the whole batch (the risk-neutral baseline).
    case rlhf
    /// PPO on the CVaR_α tail of each batch (RA-RLHF).
    case raRLHF = "ra-rlhf"

    /// The row label used in tables and figure keys.
    public var displayName: String {
      switch self {
      case .base: return "Base"
      case .sft: return "SFT"
      case .rlhf: return "RLHF"
      case .raRLHF: return "RA-RLHF"
      }
    }

    /// The colour of the algorithm in every figure, `#RRGGBB` (Okabe–Ito,
    /// distinguishable with the common colour-vision deficiencies).
    public var colour: String {
      switch self {
      case .base: return "#999999"
      case .sft: return "#009E73"
      case .rlhf: return "#0072B2"
      case .raRLHF: return "#D55E00"
      }
    }

    /// Paper order: base, SFT, RLHF, RA-RLHF.
    public static func < (lhs: Algorithm, rhs: Algorithm) -> Bool {
      lhs.rank < rhs.rank
    }

    private var rank: Int {
      switch self {
      case .base: return 0
      case .sft: return 1
      case .rlhf: return 2
      case .raRLHF: return 3
      }
    }
  }
}
