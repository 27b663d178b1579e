/// A dense tensor of `Float` scalars with a shape, stored flat in row-major
/// order (the last axis varies fastest).
///
/// `Tensor` is a value type with copy-on-write storage: copying or reshaping
/// it is O(1) until one of the copies is mutated. A rank-0 tensor (shape `[]`)
/// holds one scalar.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
  /// The extent of each axis; the product of the extents is `count`.
  public private(set) var shape: [Int]

  /// The scalars, flat and row-major; `scalars.count == count` always holds
  /// for tensors built through the public initialisers. Code that assigns a
  /// new array here must keep that count.
  public var scalars: [Float]

  /// Makes a tensor of `shape` from `scalars` laid out row-major.
  ///
  /// - Precondition: `scalars.count` is the product of `shape`, and every
  ///   extent is non-negative. Use `init(validatingShape:scalars:)` for data
  ///   read from files.
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in \(shape)")
    precondition(
      scalars.count == Tensor.count(of: shape),
      "\(scalars.count) scalars do not fill shape \(shape)")
    self.shape = shape
    self.scalars = scalars
  }

  /// Makes a tensor of `shape` from `scalars`, throwing instead of trapping
  /// when they do not fit (for shapes and data read from files).
  ///
  /// - Throws: `TensorError.invalidShape` for a negative extent,
  ///   `TensorError.countMismatch` when `scalars.count` is not the product of
  ///   `shape`.
  public init(validatingShape shape: [Int], scalars: [Float]) throws(TensorError) {
    guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(shape) }
    let expected = Tensor.count(of: shape)
    guard scalars.count == expected else {
      throw .countMismatch(shape: shape, expected: expected, got: scalars.count)
    }
    self.shape = shape
    self.scalars = scalars
  }

  /// A rank-0 tensor holding `scalar`.
  public init(_ scalar: Float) {
    self.init(shape: [], scalars: [scalar])
  }

  /// A tensor of `shape` with every scalar equal to `value`.
  public init(repeating value: Float, shape: [Int]) {
    self.init(
      shape: shape,
      scalars: [Float](repeating: value, count: Tensor.count(of: shape)))
  }

  /// A tensor of `shape` filled with zeros.
  public static func zeros(_ shape: [Int]) -> Tensor {
    Tensor(repeating: 0, shape: shape)
  }

  /// A tensor of `shape` filled with ones.
  public static func ones(_ shape: [Int]) -> Tensor {
    Tensor(repeating: 1, shape: shape)
  }

  /// A tensor of `shape` whose scalars are drawn independently from the
  /// normal distribution N(`mean`, `standardDeviation`²) using `generator`.
  public static func randomNormal(
    _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    using generator: inout RandomGenerator
  ) -> Tensor {
    let count = Tensor.count(of: shape)
    var scalars = [Float](repeating: 0, count: count)
    for index in 0..<count {
      scalars[index] = mean + standardDeviation * generator.nextNormal()
    }
    return Tensor(shape: shape, scalars: scalars)
  }

  /// A tensor of `shape` whose scalars are drawn independently and uniformly
  /// from [`lowerBound`, `upperBound`) using `generator`.
  public static func randomUniform(
    _ shape: [Int], lowerBound: Float = 0, upperBound: Float = 1,
    using generator: inout RandomGenerator
  ) -> Tensor {
    let count = Tensor.count(of: shape)
    let width = upperBound - lowerBound
    var scalars = [Float](repeating: 0, count: count)
    for index in 0..<count {
      scalars[index] = lowerBound + width * generator.nextUniform()
    }
    return Tensor(shape: shape, scalars: scalars)
  }

  // MARK: - Shape

  /// The number of scalars: the product of the extents (1 for rank 0).
  public var count: Int { scalars.count }

  /// The number of axes.
  public var rank: Int { shape.count }

  /// The scalar of a tensor holding exactly one.
  ///
  /// - Precondition: `count == 1`.
  public var scalar: Float {
    precondition(count == 1, "scalar of a tensor with shape \(shape)")
    return scalars[0]
  }

  /// The same scalars seen with a new shape, in O(1) (storage is shared).
  ///
  /// One extent may be `-1`; it is inferred from the others.
  ///
  /// - Precondition: the shapes hold the same number of scalars.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var copy = self
    copy.shape = Tensor.resolve(newShape, count: count)
    return copy
  }

  /// The product of `shape`'s extents.
  public static func count(of shape: [Int]) -> Int {
    var product = 1
    for extent in shape { product *= extent }
    return product
  }

  /// `shape` with one `-1` extent replaced so that it holds `count` scalars.
  static func resolve(_ shape: [Int], count: Int) -> [Int] {
    let inferred = shape.indices.filter { shape[$0] == -1 }
    precondition(inferred.count <= 1, "more than one -1 in shape \(shape)")
    var resolved = shape
    if let axis = inferred.first {
      let known = Tensor.count(of: shape.filter { $0 != -1 })
      precondition(known > 0 && count % known == 0, "cannot reshape \(count) to \(shape)")
      resolved[axis] = count / known
    }
    precondition(
      Tensor.count(of: resolved) == count, "cannot reshape \(count) scalars to \(shape)")
    return resolved
  }

  /// A short description: the shape and up to eight scalars.
  public var description: String {
    let head = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    let tail = count > 8 ? ", …" : ""
    return "Tensor(shape: \(shape), [\(head)\(tail)])"
  }
}

extension Tensor {
  /// Makes a tensor of shape `shape` without initialising its scalars, then
  /// lets `body` write all `count` of them.
  @inlinable
  static func filled(
    shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void
  ) -> Tensor {
    let count = Tensor.count(of: shape)
    let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialised in
      body(buffer)
      initialised = count
    }
    return Tensor(shape: shape, scalars: scalars)
  }
}
