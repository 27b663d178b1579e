import Tensors

extension GPT {
  /// Samples `newTokens` tokens after each prompt, without dropout and
  /// without recording.
  ///
  /// With `usingCache` (the default) the prompts are run once and each
  /// further step computes only the new token's work against cached keys
  /// and values; without it every step reruns the whole sequence (the
  /// slow path, kept to check the cache). Both draw one multinomial sample
  /// per sequence per step from `generator`, in row order, so they give the
  /// same tokens for the same stream. No token ends a sequence early.
  ///
  /// - Parameters:
  ///   - prompts: equal-length or left-padded prompts, at least 1 position.
  ///   - newTokens: how many tokens to add, ≥ 0; prompt length plus
  ///     `newTokens` must fit `contextLength`.
  ///   - sampling: temperature, top-k and top-p.
  ///   - generator: the sampling stream, advanced by the draws.
  /// - Returns: `[batchSize][newTokens]`, the sampled tokens of each
  ///   sequence (`prompts.appending(_:)` makes the full batch).
  /// - Throws: `ModelsError.invalidSampling`, `.sequenceTooLong`,
  ///   `.tokenOutOfRange` or `.invalidArgument` for bad arguments.
  public func generate(
    _ prompts: TokenBatch, newTokens: Int, sampling: SamplingOptions = SamplingOptions(),
    generator: inout RandomGenerator, usingCache: Bool = true
  ) throws(ModelsError) -> [[Int]] {
    try sampling.validate()
    guard newTokens >= 0 else {
      throw .invalidSampling(field: "newTokens", value: "\(newTokens)", allowed: "at least 0")
    }
    try validate(prompts, minimumLength: 1)
    let total = prompts.length + newTokens
    guard total <= configuration.contextLength else {
      throw .sequenceTooLong(length: total, contextLength: configuration.contextLength)
    }
    var completions = [[Int]](repeating: [], count: prompts.batchSize)
    guard newTokens > 0, prompts.batchSize > 0 else { return completions }

    if usingCache {
      try generateWithCache(
        prompts, newTokens: newTokens, sampling: sampling, generator: &generator,
        into: &completions)
    } else {
      var sequences = prompts
      for _ in 0..<newTokens {
        let tape = Tape(recording: false)
        var none: RandomGenerator? = nil
        let hidden = trunk.hiddenStates(sequences, tape: tape, dropout: &none)
        let last = (0..<sequences.batchSize).map { $0 * sequences.length + sequences.length - 1 }
        let logits = tape.matmul(
          tape.selectRows(hidden, indices: last), trunk.tokenEmbedding, transposeB: true)
        let drawn = try sample(logits.value, sampling: sampling, generator: &generator)
        for (row, token) in drawn.enumerated() { completions[row].append(token) }
        sequences = sequences.appending(drawn.map { [$0] })
      }
    }
    return completions
  }

  private func generateWithCache(
    _ prompts: TokenBatch, newTokens: Int, sampling: SamplingOptions,
    generator: inout RandomGenerator, into completions: inout [[Int]]
  ) throws(ModelsError) {
    let (batch, length) = (prompts.batchSize, prompts.length)
    var cache = KeyValueCache(
      layers: configuration.layerCount, batchSize: batch, capacity: length + newTokens,
      width: configuration.dModel)
    let tape = Tape(recording: false)
    var none: RandomGenerator? = nil
    // The last position's hidden state only (every position's keys and
    // values go to the cache).
    let hidden = trunk.hiddenStates(prompts, tape: tape, dropout: &none, from: length - 1) {
      layer, qkv in
      cache.store(layer: layer, qkv: qkv, from: 0, count: length, at: 0)
    }
    cache.admit(0, real: prompts.mask.map { $0 == 1 })
    cache.filled = length
    var logits = tape.matmul(
      tape.reshape(hidden, to: [batch, configuration.dModel]), trunk.tokenEmbedding,
      transposeB: true
    ).value
    var positions = (0..<batch).map { row in
      Int(prompts.mask[(row * length)..<((row + 1) * length)].reduce(0, +))
    }
    for step in 0..<newTokens {
      let drawn = try sample(logits, sampling: sampling, generator: &generator)
      for (row, token) in drawn.enumerated() { completions[row].append(token) }
      guard step + 1 < newTokens else { break }
      let stepTape = Tape(recording: false)
      let state = trunk.decodingStep(
        tokens: drawn, positions: positions, cache: &cache, tape: stepTape)
      logits =
        stepTape.matmul(
          stepTape.reshape(state, to: [batch, configuration.dModel]), trunk.tokenEmbedding,
          transposeB: true
        ).value
      positions = positions.map { $0 + 1 }
    }
  }

  /// One token per row of `logits` (`[batch, V]`), filtered by `sampling`.
  private func sample(
    _ logits: Tensor, sampling: SamplingOptions, generator: inout RandomGenerator
  ) throws(ModelsError) -> [Int] {
    let (rows, width) = (logits.shape[0], logits.shape[1])
    // The model's own distribution (the paper's setting) is drawn from the
    // logits where they are; a filter works on a copy of the row.
    let unfiltered = sampling == SamplingOptions()
    return try logits.scalars.withUnsafeBufferPointer { (all) throws(ModelsError) -> [Int] in
      var tokens: [Int] = []
      for row in 0..<rows {
        let scores = UnsafeBufferPointer(rebasing: all[(row * width)..<((row + 1) * width)])
        do throws(TensorError) {
          if unfiltered {
            tokens.append(try generator.categorical(logits: scores))
          } else {
            var filtered = Array(scores)
            sampling.filter(&filtered)
            tokens.append(try generator.categorical(logits: filtered))
          }
        } catch {
          throw .invalidSampling(
            field: "logits of sequence \(row)", value: error.description,
            allowed: "finite values, at least one above -infinity")
        }
      }
      return tokens
    }
  }
}
