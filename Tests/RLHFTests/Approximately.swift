/// Whether `a` and `b` agree within `tolerance` (absolute).
func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-12) -> Bool {
  abs(a - b) <= tolerance
}

/// Whether two arrays have the same size and agree element-wise within
/// `tolerance` (absolute).
func isClose(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}
