import CYAML
import Foundation

/// Parses YAML text into a `YAMLNode` tree with libyaml's event parser
/// (`yaml_parser_parse`).
///
/// One document per source. Anchors and aliases are resolved (an alias
/// becomes a copy of its anchored node, with the alias's position). Tags other
/// than `!!str` are ignored. Every node keeps the file name and the 1-based
/// line and column where it starts.
public enum YAMLParser {
  /// Parses `text`, naming `file` in every position and error.
  ///
  /// An empty source yields a null scalar at 1:1.
  ///
  /// - Throws: `YAMLError` for text libyaml refuses, duplicate keys,
  ///   non-scalar keys, unknown aliases and a second document.
  public static func parse(_ text: String, file: String) throws(YAMLError)
    -> YAMLNode
  {
    let bytes = Array(text.utf8)
    let start = YAMLMark(file: file, line: 1, column: 1)
    // libyaml asserts a non-null input, which an empty buffer lacks.
    guard !bytes.isEmpty else { return .plain("", at: start) }
    var builder = TreeBuilder(file: file, bytes: bytes)
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      preconditionFailure("yaml_parser_initialize failed: out of memory")
    }
    defer { yaml_parser_delete(&parser) }
    return try bytes.withUnsafeBufferPointer { buffer throws(YAMLError) in
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(&parser, &event) == 1 else {
          throw builder.syntaxError(of: parser)
        }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { break }
        try builder.consume(event)
      }
      return builder.root ?? .plain("", at: start)
    }
  }

  /// Reads and parses the file at `path`; positions name `path` as given.
  ///
  /// - Throws: `YAMLError.unreadable` or `.notUTF8`, else as
  ///   `parse(_:file:)`.
  public static func parse(fileAt path: String) throws(YAMLError) -> YAMLNode {
    try parse(try read(path), file: path)
  }

  /// Why the file at `path` cannot be read, in the system's words
  /// (`no such file or directory`).
  private static func openFailure(_ path: String) -> String {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder),
      isFolder.boolValue
    {
      return "it is a directory"
    }
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      return String(cString: strerror(errno)).lowercased()
    }
    close(descriptor)
    return "the read failed"
  }

  /// The text of the file at `path`.
  ///
  /// - Throws: `YAMLError.unreadable` when the file cannot be read,
  ///   `.notUTF8` when it is not UTF-8.
  public static func read(_ path: String) throws(YAMLError) -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadable(path: path, reason: openFailure(path))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .notUTF8(path: path)
    }
    return text
  }
}

/// Turns libyaml events into nodes, keeping a stack of open collections.
private struct TreeBuilder {
  private enum Frame {
    case sequence(YAMLMark, anchor: String?, [YAMLNode])
    case mapping(YAMLMark, anchor: String?, [YAMLNode.Pair], key: YAMLNode?)
  }

  let file: String
  let bytes: [UInt8]
  private var stack: [Frame] = []
  private var anchors: [String: YAMLNode] = [:]
  private var documents = 0
  private(set) var root: YAMLNode?

  init(file: String, bytes: [UInt8]) {
    self.file = file
    self.bytes = bytes
  }

  mutating func consume(_ event: yaml_event_t) throws(YAMLError) {
    let mark = self.mark(event.start_mark)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      documents += 1
      if documents > 1 { throw .multipleDocuments(at: mark) }
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      let text = Self.string(scalar.value, length: scalar.length)
      let tag = Self.string(scalar.tag)
      let plain =
        scalar.style == YAML_PLAIN_SCALAR_STYLE
        && tag != "tag:yaml.org,2002:str"
      let node = YAMLNode(.scalar(text, plain: plain), at: mark)
      try add(node, anchor: Self.string(scalar.anchor))
    case YAML_ALIAS_EVENT:
      let name = Self.string(event.data.alias.anchor) ?? ""
      guard var node = anchors[name] else {
        throw .unknownAnchor(name, at: mark)
      }
      node.mark = mark
      try add(node, anchor: nil)
    case YAML_SEQUENCE_START_EVENT:
      stack.append(
        .sequence(
          mark, anchor: Self.string(event.data.sequence_start.anchor), []))
    case YAML_MAPPING_START_EVENT:
      let anchor = Self.string(event.data.mapping_start.anchor)
      stack.append(.mapping(mark, anchor: anchor, [], key: nil))
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      switch stack.popLast() {
      case .sequence(let start, let anchor, let items):
        try add(YAMLNode(.sequence(items), at: start), anchor: anchor)
      case .mapping(let start, let anchor, let pairs, _):
        try add(YAMLNode(.mapping(pairs), at: start), anchor: anchor)
      case nil:
        preconditionFailure("libyaml ended a collection that was never started")
      }
    default:
      break
    }
  }

  private mutating func add(_ node: YAMLNode, anchor: String?) throws(YAMLError) {
    if let anchor { anchors[anchor] = node }
    switch stack.popLast() {
    case nil:
      root = node
    case .sequence(let start, let anchor, var items):
      items.append(node)
      stack.append(.sequence(start, anchor: anchor, items))
    case .mapping(let start, let anchor, var pairs, let key):
      if let key {
        pairs.append(YAMLNode.Pair(key: key, value: node))
        stack.append(.mapping(start, anchor: anchor, pairs, key: nil))
        return
      }
      guard let text = node.scalarText else {
        throw .nonScalarKey(at: node.mark)
      }
      if let first = pairs.first(where: { $0.key.scalarText == text }) {
        throw .duplicateKey(text, first: first.key.mark, at: node.mark)
      }
      stack.append(.mapping(start, anchor: anchor, pairs, key: node))
    }
  }

  func mark(_ mark: yaml_mark_t) -> YAMLMark {
    YAMLMark(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
  }

  /// The error libyaml reported, at its problem mark. Reader errors (bad
  /// UTF-8) carry only a byte offset, which is turned into line and column.
  func syntaxError(of parser: yaml_parser_t) -> YAMLError {
    let problem = Self.string(parser.problem) ?? "unknown libyaml error"
    if parser.error == YAML_READER_ERROR {
      let at = position(ofByte: Int(parser.problem_offset))
      return .syntax(problem: problem, context: nil, at: at)
    }
    if parser.error == YAML_MEMORY_ERROR {
      return .syntax(
        problem: "libyaml ran out of memory", context: nil,
        at: position(ofByte: 0))
    }
    var context: String?
    if let text = Self.string(parser.context) {
      let at = mark(parser.context_mark)
      context = "\(text) at line \(at.line), column \(at.column)"
    }
    return .syntax(
      problem: problem, context: context, at: mark(parser.problem_mark))
  }

  private func position(ofByte offset: Int) -> YAMLMark {
    let before = bytes.prefix(offset)
    let line = before.reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
    let lineStart = before.lastIndex(of: 10).map { $0 + 1 } ?? 0
    let column =
      String(decoding: bytes[lineStart..<before.endIndex], as: UTF8.self)
      .unicodeScalars.count + 1
    return YAMLMark(file: file, line: line, column: column)
  }

  private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  private static func string(
    _ pointer: UnsafeMutablePointer<UInt8>?, length: Int
  ) -> String {
    guard let pointer else { return "" }
    return String(
      decoding: UnsafeBufferPointer(start: pointer, count: length),
      as: UTF8.self)
  }
}
