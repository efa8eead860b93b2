import Foundation
import OutdialCore

/// The rows of results files to send again: each row counts once, as its latest line says (a
/// results file may hold several runs of the same job appended), in the order rows first appear.
/// The lines are read by OutdialCore's `ResultsReader` (a strict JSON reader, one line at a time).
struct ReplaySelection {
    private var latest: [ResultsFileLine.Key: ResultsFileLine] = [:]
    private var order: [ResultsFileLine.Key] = []

    init() {}

    /// Adds the lines of one results file.
    /// - Returns: warnings for lines that were skipped (`file:line:col: warning: …`).
    /// - Throws: `ReadError` when the file cannot be read or breaks a limit.
    mutating func add(file path: String) throws -> [Diagnostic] {
        try ResultsReader(path: path).read { add($0) }
    }

    /// Adds one line: it replaces any earlier line of the same row.
    mutating func add(_ line: ResultsFileLine) {
        if latest[line.key] == nil { order.append(line.key) }
        latest[line.key] = line
    }

    /// The started rows whose call ended in one of `outcomes` (`replay --outcome`), started before
    /// `before` when given, in first-seen order.
    func rows(withOutcomes outcomes: Set<String>, startedBefore before: Date?) -> [ResultsFileLine] {
        order.compactMap { key in
            guard let line = latest[key], line.status == .started, let outcome = line.outcome,
                outcomes.contains(outcome)
            else { return nil }
            if let before {
                guard let at = line.at.flatMap(RFC3339Timestamp.date(from:)), at < before else { return nil }
            }
            return line
        }
    }

    /// The rows whose latest line has one of `statuses`, in first-seen order.
    func rows(withStatus statuses: Set<RowStatus>) -> [ResultsFileLine] {
        order.compactMap { key in
            guard let line = latest[key], statuses.contains(line.status) else { return nil }
            return line
        }
    }
}
