/// Why text data, a tokenizer or a data directory could not be used.
///
/// Every case names the file (and line, column or archive member where one is
/// known) and says what was expected, so the message alone tells a user what
/// to fix. `file` strings for archive members read `archive.tar.gz:member`.
public enum TextDataError: Error, Equatable, CustomStringConvertible {
  /// A file or folder could not be opened or read.
  case unreadable(file: String, reason: String)
  /// A file could not be written.
  case unwritable(file: String, reason: String)
  /// Text that is not valid UTF-8; `line` is 1-based when known.
  case invalidUTF8(file: String, line: Int?)
  /// JSON that does not have the expected shape.
  case malformedJSON(file: String, line: Int, column: Int, reason: String)
  /// A line of a merge list that is not two tokens separated by one space.
  case malformedMerge(file: String, line: Int, text: String)
  /// A merge names a token, or makes one, that the vocabulary lacks.
  case unknownToken(file: String, line: Int, token: String)
  /// A vocabulary token holds characters outside the byte alphabet.
  case tokenOutsideByteAlphabet(file: String, token: String)
  /// A vocabulary that lacks a token every byte-level BPE needs.
  case missingToken(file: String, token: String)
  /// Two tokens share one id, or ids do not run from 0 without gaps.
  case badTokenIDs(file: String, reason: String)
  /// A vocabulary size a byte-level BPE cannot have.
  case invalidVocabularySize(Int, minimum: Int)
  /// The training corpus ran out of pairs before the vocabulary was full.
  case corpusTooSmall(vocabularySize: Int, reached: Int)
  /// A file that does not start with the gzip magic bytes.
  case notGzip(file: String)
  /// A gzip stream that ends before its end-of-stream marker.
  case truncatedGzip(file: String)
  /// A gzip stream that zlib rejects.
  case corruptGzip(file: String, reason: String)
  /// A tar stream with a bad header or one cut short.
  case malformedTar(file: String, offset: Int, reason: String)
  /// An archive with no members.
  case emptyArchive(file: String)
  /// An IMDB archive or folder with no review in the aclImdb layout.
  case noReviews(file: String)
  /// An IMDB file name that is not `ID_RATING.txt` with a rating in 1...10.
  case badReviewName(file: String)
  /// A quoted CSV field that runs to the end of the file.
  case unterminatedQuote(file: String, line: Int)
  /// A CSV quote in the middle of an unquoted field or after a closing quote.
  case strayQuote(file: String, line: Int)
  /// A CSV header without a column the format needs.
  case missingColumn(file: String, column: String, header: [String])
  /// A CSV record with a different number of fields from its header.
  case wrongFieldCount(file: String, line: Int, expected: Int, got: Int)
  /// A label field that is not one of the allowed values.
  case invalidLabel(file: String, line: Int, column: String, value: String)
  /// A JSON record without a field the format needs.
  case missingField(file: String, line: Int, field: String)
  /// A task name that is not one of the tasks.
  case unknownTask(String)
  /// A setting outside its allowed range.
  case invalidSetting(name: String, value: String, allowed: String)
  /// Too few records to draw a set of the asked size.
  case notEnoughRecords(what: String, needed: Int, available: Int)
  /// A data directory given explicitly that does not exist.
  case noDataDirectory(tried: [String])
  /// Files a task needs that are missing from the data directory.
  case missingFiles(directory: String, files: [String], help: String)

  /// The message for the user: file, line and what is allowed.
  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      "cannot read '\(file)': \(reason)"
    case .unwritable(let file, let reason):
      "cannot write '\(file)': \(reason)"
    case .invalidUTF8(let file, let line):
      "\(Self.place(file, line)): text is not valid UTF-8"
    case .malformedJSON(let file, let line, let column, let reason):
      "\(file):\(line):\(column): \(reason)"
    case .malformedMerge(let file, let line, let text):
      "\(file):\(line): expected two tokens separated by one space, "
        + "got '\(text)'"
    case .unknownToken(let file, let line, let token):
      "\(file):\(line): token '\(token)' is not in the vocabulary"
    case .tokenOutsideByteAlphabet(let file, let token):
      "\(file): token '\(token)' has characters outside GPT-2's byte "
        + "alphabet"
    case .missingToken(let file, let token):
      "\(file): the vocabulary lacks the token '\(token)'"
    case .badTokenIDs(let file, let reason):
      "\(file): \(reason)"
    case .invalidVocabularySize(let size, let minimum):
      "vocabulary size must be at least \(minimum) (256 bytes + "
        + "end-of-text + 1 merge), got \(size)"
    case .corpusTooSmall(let size, let reached):
      "the corpus has too few distinct pairs for a vocabulary of \(size): "
        + "training stopped at \(reached) tokens"
    case .notGzip(let file):
      "\(file): not a gzip file (expected the bytes 1f 8b at its start)"
    case .truncatedGzip(let file):
      "\(file): gzip stream ends early (the file is truncated)"
    case .corruptGzip(let file, let reason):
      "\(file): corrupt gzip data: \(reason)"
    case .malformedTar(let file, let offset, let reason):
      "\(file): bad tar data at byte \(offset) of the archive: \(reason)"
    case .emptyArchive(let file):
      "\(file): the archive has no members"
    case .noReviews(let file):
      "\(file): no reviews in the aclImdb layout "
        + "(aclImdb/{train,test}/{pos,neg}/ID_RATING.txt)"
    case .badReviewName(let file):
      "\(file): expected a review named ID_RATING.txt with a rating 1...10"
    case .unterminatedQuote(let file, let line):
      "\(file):\(line): quoted field is never closed"
    case .strayQuote(let file, let line):
      "\(file):\(line): a quote inside a field must be doubled and the "
        + "field quoted"
    case .missingColumn(let file, let column, let header):
      "\(file):1: missing column '\(column)' (header has: "
        + "\(header.joined(separator: ", ")))"
    case .wrongFieldCount(let file, let line, let expected, let got):
      "\(file):\(line): expected \(expected) fields as in the header, "
        + "got \(got)"
    case .invalidLabel(let file, let line, let column, let value):
      "\(file):\(line): column '\(column)' must be 0 or 1, got '\(value)'"
    case .missingField(let file, let line, let field):
      "\(file):\(line): record lacks the field '\(field)'"
    case .unknownTask(let name):
      "unknown task '\(name)' (expected: "
        + "\(TaskName.allCases.map(\.rawValue).joined(separator: ", ")))"
    case .invalidSetting(let name, let value, let allowed):
      "\(name) must be \(allowed), got \(value)"
    case .notEnoughRecords(let what, let needed, let available):
      "need \(needed) \(what), only \(available) available"
    case .noDataDirectory(let tried):
      "no data directory found (tried: \(tried.joined(separator: ", ")))\n"
        + DataDirectory.help(for: DataDirectory.File.allCases)
    case .missingFiles(let directory, let files, let help):
      "missing in data directory '\(directory)': "
        + "\(files.joined(separator: ", "))\n\(help)"
    }
  }

  private static func place(_ file: String, _ line: Int?) -> String {
    line.map { "\(file):\($0)" } ?? file
  }
}
