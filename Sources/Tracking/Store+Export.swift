import Foundation

extension Store {
  /// `table` as CSV text (RFC 4180: CRLF line ends, quoted fields), with a
  /// header row. For large stores prefer ``exportCSV(_:to:)``.
  public func csv(_ table: ExportTable) throws(TrackingError) -> String {
    var bytes: [UInt8] = []
    try writeCSV(table) { chunk throws(TrackingError) in bytes.append(contentsOf: chunk) }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Writes `table` as CSV to `url`, streaming rows; the file appears whole
  /// (written beside it, then renamed) or not at all.
  ///
  /// - Throws: ``TrackingError/fileError(path:detail:)`` when the file cannot
  ///   be written.
  public func exportCSV(_ table: ExportTable, to url: URL) throws(TrackingError) {
    let partial = url.path + ".partial"
    guard FileManager.default.createFile(atPath: partial, contents: nil),
      let handle = FileHandle(forWritingAtPath: partial)
    else {
      throw .fileError(path: url.path, detail: "cannot create the CSV file")
    }
    do throws(TrackingError) {
      try writeCSV(table) { chunk throws(TrackingError) in
        do {
          try handle.write(contentsOf: chunk)
        } catch {
          throw .fileError(path: url.path, detail: "cannot write: \(error)")
        }
      }
      try? handle.close()
      if FileManager.default.fileExists(atPath: url.path) {
        try? FileManager.default.removeItem(at: url)
      }
      do {
        try FileManager.default.moveItem(atPath: partial, toPath: url.path)
      } catch {
        throw TrackingError.fileError(path: url.path, detail: "cannot rename: \(error)")
      }
    } catch {
      try? handle.close()
      try? FileManager.default.removeItem(atPath: partial)
      throw error
    }
  }

  /// Writes every export into `directory` (created when missing) and
  /// returns the files written, in ``ExportTable`` order.
  @discardableResult
  public func exportCSV(toDirectory directory: URL) throws(TrackingError) -> [URL] {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .fileError(path: directory.path, detail: "cannot create the folder")
    }
    var written: [URL] = []
    for table in ExportTable.allCases {
      let url = directory.appendingPathComponent(table.fileName)
      try exportCSV(table, to: url)
      written.append(url)
    }
    return written
  }

  // MARK: - Private

  private func writeCSV(
    _ table: ExportTable, to sink: @escaping ([UInt8]) throws(TrackingError) -> Void
  ) throws(TrackingError) {
    try locked { connection throws(TrackingError) in
      try connection.transaction(.deferred) { () throws(TrackingError) in
        let (sql, bindings) = try query(for: table, connection)
        var writer = CSVWriter(flush: sink)
        let statement = try connection.prepare(sql)
        try statement.bind(bindings)
        let count = statement.columnCount
        try writer.write(record: (0..<count).map(statement.columnName(at:)))
        while try statement.step() {
          try writer.write(record: (0..<count).map(statement.value(at:)))
        }
        try writer.finish()
      }
    }
  }

  private func query(
    for table: ExportTable, _ connection: Connection
  ) throws(TrackingError) -> (String, [SQLValue]) {
    switch table {
    case .episodes:
      return (
        """
        SELECT e.run_id, r.name AS run_name, e.phase, e.eval_set, e.iteration,
          e.position, e.task, e.prompt_id, e.class, e.prompt_text, e.completion,
          e.prompt_score, e.reward, e.judge_reward, e.kl, e."return",
          e.response_length, e.in_tail
        FROM episode_texts AS e JOIN runs AS r ON r.id = e.run_id
        ORDER BY e.run_id, e.phase DESC, e.iteration, e.eval_set, e.position
        """, []
      )
    case .iterations:
      let names = try connection.rows(
        "SELECT DISTINCT name FROM iteration_stats ORDER BY name"
      ).compactMap { $0.values.first.flatMap(String.init(sqlValue:)) }
      let columns = names.map { name in
        let alias = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return ",\n  max(CASE WHEN s.name = ? THEN s.value END) AS \(alias)"
      }.joined()
      return (
        """
        SELECT i.run_id, r.name AS run_name, i.iteration, i.kept_count,
          i.return_threshold, i.return_mean, i.return_mean_kept, i.recorded_at\(columns)
        FROM iterations AS i JOIN runs AS r ON r.id = i.run_id
          LEFT JOIN iteration_stats AS s
            ON s.run_id = i.run_id AND s.iteration = i.iteration
        GROUP BY i.run_id, i.iteration
        ORDER BY i.run_id, i.iteration
        """, names.map(SQLValue.text)
      )
    case .evaluations:
      return (
        """
        SELECT v.run_id, r.name AS run_name, v.eval_set, v.metric, v.value
        FROM evaluations AS v JOIN runs AS r ON r.id = v.run_id
        ORDER BY v.run_id, v.eval_set, v.metric
        """, []
      )
    }
  }
}
