import Foundation
import TextData

/// GPT-2 byte-level BPE encoding throughput of TextData's `BPETokenizer`
/// over the IMDB reviews of the data directory (as `IMDBLoader` prepares
/// them: each `<br />` replaced by one space), one thread; the same texts
/// as `Benchmarks/hf_tokenizer.py`.
enum TokenizerBenchmark {
  static func run(_ options: BenchOptions) throws {
    let limit = try options.integer("limit", 50_000)
    let data = try DataDirectory.resolve()
    let tokenizer = try BPETokenizer.gpt2(in: data)
    let texts = try IMDBLoader.reviews(in: data).prefix(limit).map(\.text)
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }

    var tokens = 0
    let seconds = Measurement.seconds {
      for text in texts { tokens += tokenizer.encode(text).count }
    }
    try Measurement.emit([
      "benchmark": "tokenize", "side": "rarlhf", "texts": texts.count, "bytes": bytes,
      "tokens": tokens, "seconds": seconds,
      "mb_per_s": Double(bytes) / seconds / 1e6,
    ])
  }
}
