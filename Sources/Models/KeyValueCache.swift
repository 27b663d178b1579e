import Tensors

/// The attention keys and values of every position decoded so far, per
/// layer, so each sampling step computes only the new token's work.
///
/// Storage is allocated once for `capacity` positions. A decoding step
/// attends to the filled slots only (`Tape.attention`'s `keyCount`); padded
/// prompt positions, and slots not yet filled, carry a `-infinity` key bias,
/// so it sees exactly the real keys.
struct KeyValueCache {
  /// Per layer, `[batchSize, capacity, dModel]`, heads as column blocks.
  var keys: [Tensor]
  /// Per layer, `[batchSize, capacity, dModel]`.
  var values: [Tensor]
  /// `[batchSize, capacity]`: 0 for filled real positions, `-infinity`
  /// otherwise.
  var keyBias: Tensor
  /// The number of positions written.
  var filled = 0

  let batchSize: Int
  let capacity: Int
  let width: Int

  init(layers: Int, batchSize: Int, capacity: Int, width: Int) {
    let empty = Tensor.zeros([batchSize, capacity, width])
    keys = Array(repeating: empty, count: layers)
    values = Array(repeating: empty, count: layers)
    keyBias = Tensor(repeating: -.infinity, shape: [batchSize, capacity])
    self.batchSize = batchSize
    self.capacity = capacity
    self.width = width
  }

  /// Opens slot `slot` (and the `real.count / batchSize − 1` after it) for
  /// attention: each position of `real` (`[batchSize, n]`, row-major) that
  /// is true gets key bias 0.
  mutating func admit(_ slot: Int, real: [Bool]) {
    let count = real.count / batchSize
    precondition(slot + count <= capacity, "cache of \(capacity) positions is full")
    for row in 0..<batchSize {
      for offset in 0..<count where real[row * count + offset] {
        keyBias.scalars[row * capacity + slot + offset] = 0
      }
    }
  }

  /// Copies the keys and values of `count` positions, starting at position
  /// `from` of `qkv` (`[batchSize, n, 3·width]`), into slots `at…`.
  mutating func store(layer: Int, qkv: Tensor, from: Int, count: Int, at slot: Int) {
    let positions = qkv.shape[1]
    let (width, capacity) = (self.width, self.capacity)
    let source = qkv.scalars
    keys[layer].scalars.withUnsafeMutableBufferPointer { k in
      values[layer].scalars.withUnsafeMutableBufferPointer { v in
        for row in 0..<batchSize {
          for offset in 0..<count {
            let input = (row * positions + from + offset) * 3 * width
            let output = (row * capacity + slot + offset) * width
            for column in 0..<width {
              k[output + column] = source[input + width + column]
              v[output + column] = source[input + 2 * width + column]
            }
          }
        }
      }
    }
  }
}
