/// Which tokenizer a run's models use.
public enum TokenizerKind: String, CaseIterable, Sendable, Codable {
  /// GPT-2's byte-level BPE (50,257 tokens) from the data directory.
  case gpt2
  /// A byte-level BPE trained on the task's corpus with `model.vocab_size`
  /// tokens.
  case bpe
}
