import CZlib
import Foundation

/// A decoded 8-bit RGB or RGBA PNG, enough for tests to check what gnuplot
/// drew.
public struct PNGImage {
  /// Pixels per row.
  public let width: Int
  /// Rows.
  public let height: Int
  /// Bytes per pixel: 3 (RGB) or 4 (RGBA).
  public let channels: Int
  /// `[height][width][channels]`, row-major, unfiltered.
  public let pixels: [UInt8]

  /// Why data is not a PNG this type decodes.
  public enum DecodeError: Error {
    case notPNG
    case unsupported(bitDepth: UInt8, colourType: UInt8)
    case inflate(Int32)
  }

  /// Decodes the IHDR and IDAT chunks: zlib-inflates the joined IDAT data
  /// and undoes the per-row filters (PNG spec §9).
  public init(data: Data) throws {
    let bytes = [UInt8](data)
    guard bytes.count > 8, bytes[0..<8] == [137, 80, 78, 71, 13, 10, 26, 10] else {
      throw DecodeError.notPNG
    }
    func word(_ at: Int) -> Int {
      bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
    }
    var offset = 8
    var header: [UInt8] = []
    var compressed: [UInt8] = []
    while offset + 8 <= bytes.count {
      let length = word(offset)
      let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
      let body = Array(bytes[offset + 8..<offset + 8 + length])
      if type == "IHDR" { header = body }
      if type == "IDAT" { compressed += body }
      offset += 12 + length
    }
    guard header.count == 13 else { throw DecodeError.notPNG }
    width = header[0..<4].reduce(0) { $0 << 8 | Int($1) }
    height = header[4..<8].reduce(0) { $0 << 8 | Int($1) }
    switch (header[8], header[9]) {
    case (8, 2): channels = 3
    case (8, 6): channels = 4
    default: throw DecodeError.unsupported(bitDepth: header[8], colourType: header[9])
    }
    let stride = width * channels
    var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
    var destinationLength = uLongf(raw.count)
    let status = raw.withUnsafeMutableBufferPointer { destination in
      compressed.withUnsafeBufferPointer { source in
        uncompress(
          destination.baseAddress, &destinationLength, source.baseAddress,
          uLong(source.count))
      }
    }
    guard status == Z_OK else { throw DecodeError.inflate(status) }
    var out = [UInt8](repeating: 0, count: stride * height)
    for row in 0..<height {
      let filter = raw[row * (stride + 1)]
      for column in 0..<stride {
        let x = raw[row * (stride + 1) + 1 + column]
        let a = column >= channels ? Int(out[row * stride + column - channels]) : 0
        let b = row > 0 ? Int(out[(row - 1) * stride + column]) : 0
        let c =
          row > 0 && column >= channels
          ? Int(out[(row - 1) * stride + column - channels]) : 0
        let predictor: Int
        switch filter {
        case 1: predictor = a
        case 2: predictor = b
        case 3: predictor = (a + b) / 2
        case 4:
          let p = a + b - c
          let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
          predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default: predictor = 0
        }
        out[row * stride + column] = UInt8(truncatingIfNeeded: Int(x) + predictor)
      }
    }
    pixels = out
  }

  /// The number of pixels within `tolerance` of `#RRGGBB` in every channel.
  public func count(colour hex: String, tolerance: Int = 8) -> Int {
    let value = Int(hex.dropFirst(), radix: 16) ?? 0
    let target = [value >> 16 & 255, value >> 8 & 255, value & 255]
    var total = 0
    for pixel in 0..<width * height {
      let base = pixel * channels
      if (0..<3).allSatisfy({ abs(Int(pixels[base + $0]) - target[$0]) <= tolerance }) {
        total += 1
      }
    }
    return total
  }
}
