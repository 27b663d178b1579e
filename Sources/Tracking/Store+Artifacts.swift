import Checksums
import Foundation

extension Store {
  // MARK: - Artifacts

  /// Records an artifact by content hash and returns its id; an artifact
  /// with the same hash is the same artifact, and keeps its first path.
  @discardableResult
  public func record(
    _ artifact: ArtifactRecord, at time: Date = Date()
  ) throws(TrackingError) -> ArtifactID {
    guard artifact.bytes >= 0 else {
      throw .invalidValue(
        field: "artifact size of \(artifact.path)", value: "\(artifact.bytes)", allowed: "≥ 0")
    }
    return try write { connection throws(TrackingError) in
      ArtifactID(
        rawValue: try insertReturningID(
          connection,
          """
          INSERT INTO artifacts (kind, content_hash, path, bytes, created_at)
          VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (content_hash) DO UPDATE SET path = artifacts.path
          RETURNING id
          """,
          [
            .text(artifact.kind), .text(artifact.contentHash), .text(artifact.path),
            .integer(Int64(artifact.bytes)), .text(Timestamp.text(time)),
          ]))
    }
  }

  /// Hashes the file at `url` (SHA-256) and records it as an artifact of
  /// `kind`, with its path and size.
  ///
  /// - Throws: ``TrackingError/fileError(path:detail:)`` when the file cannot
  ///   be read.
  @discardableResult
  public func recordArtifact(
    kind: String, fileAt url: URL, at time: Date = Date()
  ) throws(TrackingError) -> ArtifactID {
    let hash: String
    do {
      hash = try SHA256.hex(ofFileAt: url)
    } catch {
      throw .fileError(path: url.path, detail: "cannot read the artifact to hash it")
    }
    let size =
      (try? FileManager.default.attributesOfItem(atPath: url.path))
      .flatMap { ($0[.size] as? NSNumber)?.intValue } ?? 0
    return try record(
      ArtifactRecord(kind: kind, contentHash: hash, path: url.path, bytes: size), at: time)
  }

  /// Links `artifact` to `run` in `role` (`input`, `output`,
  /// `reward-model`, ...); linking again changes nothing.
  public func link(
    _ artifact: ArtifactID, to run: RunID, role: String
  ) throws(TrackingError) {
    try write { connection throws(TrackingError) in
      try requireRun(run, connection)
      try connection.cachedStatement(
        "INSERT OR IGNORE INTO run_artifacts (run_id, artifact_id, role) VALUES (?, ?, ?)"
      ).run([run.sqlValue, artifact.sqlValue, .text(role)])
    }
  }

  // MARK: - Provenance

  /// Records where `run`'s results came from, replacing an earlier record
  /// (a resumed run records the code it resumed with).
  public func record(
    _ provenance: Provenance, of run: RunID, at time: Date = Date()
  ) throws(TrackingError) {
    let checksums = Self.json(provenance.dataChecksums)
    try write { connection throws(TrackingError) in
      try requireRun(run, connection)
      try connection.cachedStatement(
        """
        INSERT OR REPLACE INTO provenance (run_id, git_commit, git_dirty, git_diff_hash,
          swift_version, os, blas, blas_threads, data_checksums_json, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
      ).run([
        run.sqlValue, provenance.gitCommit.sqlValue, provenance.gitDirty.sqlValue,
        provenance.gitDiffHash.sqlValue, provenance.swiftVersion.sqlValue,
        provenance.os.sqlValue, provenance.blas.sqlValue, provenance.blasThreads.sqlValue,
        .text(checksums), .text(Timestamp.text(time)),
      ])
    }
  }

  /// `dictionary` as a JSON object with sorted keys.
  private static func json(_ dictionary: [String: String]) -> String {
    let members = dictionary.sorted { $0.key < $1.key }.map { key, value in
      "\(jsonString(key)):\(jsonString(value))"
    }
    return "{" + members.joined(separator: ",") + "}"
  }

  private static func jsonString(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\n": quoted += "\\n"
      case "\r": quoted += "\\r"
      case "\t": quoted += "\\t"
      default:
        if scalar.value < 0x20 {
          quoted += String(format: "\\u%04x", scalar.value)
        } else {
          quoted.unicodeScalars.append(scalar)
        }
      }
    }
    return quoted + "\""
  }
}
