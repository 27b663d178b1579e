import Foundation

/// How the next token is drawn from a language model's logits, applied in
/// Hugging Face's order: temperature, then top-k, then top-p (nucleus), then
/// a multinomial draw.
public struct SamplingOptions: Hashable, Sendable, Codable {
  /// Divides the logits; > 0, 1 leaves them unchanged.
  public var temperature: Float
  /// Keeps only the `topK` largest logits (ties with the k-th kept); 0 is
  /// off.
  public var topK: Int
  /// Keeps the smallest set of most probable tokens whose probability sums
  /// to at least `topP` (Holtzman et al. 2020); in (0, 1], 1 is off.
  public var topP: Float

  /// Sampling with the given settings; the defaults sample the model's own
  /// distribution (the paper's top-k 0, top-p 1.0).
  public init(temperature: Float = 1, topK: Int = 0, topP: Float = 1) {
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
  }

  /// Checks every field's range.
  ///
  /// - Throws: `ModelsError.invalidSampling` naming the field.
  public func validate() throws(ModelsError) {
    guard temperature > 0, temperature.isFinite else {
      throw .invalidSampling(
        field: "temperature", value: "\(temperature)", allowed: "positive and finite")
    }
    guard topK >= 0 else {
      throw .invalidSampling(field: "topK", value: "\(topK)", allowed: "at least 0 (0 is off)")
    }
    guard topP > 0, topP <= 1 else {
      throw .invalidSampling(field: "topP", value: "\(topP)", allowed: "in (0, 1] (1 is off)")
    }
  }

  /// Applies temperature, top-k and top-p to one row of logits `[V]` in
  /// place; removed tokens get `-infinity`.
  func filter(_ logits: inout [Float]) {
    if temperature != 1 {
      for index in logits.indices { logits[index] /= temperature }
    }
    if topK > 0 && topK < logits.count {
      var sorted = logits
      sorted.sort(by: >)
      let threshold = sorted[topK - 1]
      for index in logits.indices where logits[index] < threshold {
        logits[index] = -.infinity
      }
    }
    if topP < 1 {
      let order = logits.indices.sorted { logits[$0] > logits[$1] }
      guard let maximum = order.first.map({ logits[$0] }), maximum > -.infinity else { return }
      var weights = order.map { Double(Foundation.exp(logits[$0] - maximum)) }
      let total = weights.reduce(0, +)
      for index in weights.indices { weights[index] /= total }
      var before = 0.0
      for (rank, index) in order.enumerated() {
        if before >= Double(topP) { logits[index] = -.infinity }
        before += weights[rank]
      }
    }
  }
}
