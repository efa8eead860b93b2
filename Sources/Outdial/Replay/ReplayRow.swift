import OutdialCore

/// One line of a results file, as replay needs it: which row, its status, its request.
///
/// `ReplayRow.read(line:...)` is the one place that takes a results line apart; the rest of
/// replay sees only these values.
struct ReplayRow: Sendable {
    /// A row across runs: the same job, source file and row index.
    struct Key: Hashable, Sendable {
        var job: String
        var source: String
        var row: Int
    }

    var ref: RowRef
    var status: RowStatus
    /// The exact request the row planned (absent from `skipped: already-started` lines).
    var request: Node?

    var key: Key { Key(job: ref.job, source: ref.source, row: ref.row) }

    /// What one line of a results file holds.
    enum Reading {
        case row(ReplayRow)
        /// JSON, but not a results line (job, source, row, line or status missing).
        case notAResultsLine
        /// Not complete JSON (a run that crashed leaves at most a partial last line).
        case notJSON(String)
        /// Nothing but spaces.
        case blank
    }

    /// Takes line `lineNumber` of `file` apart.
    static func read(_ bytes: ArraySlice<UInt8>, file: String, lineNumber: Int) -> Reading {
        if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { return .blank }
        let node: Node
        do {
            node = try DocumentReader.parse(bytes: Array(bytes), name: "\(file):\(lineNumber)", format: .json)
        } catch {
            return .notJSON("\(error)")
        }
        guard case .mapping(let entries) = node.value else { return .notAResultsLine }
        func scalar(_ name: String) -> String? { entries.last(where: { $0.key == name })?.value.scalarText }
        guard let job = scalar("job"), let source = scalar("source"), let row = scalar("row").flatMap(Int.init),
            let statusText = scalar("status"), let status = RowStatus(rawValue: statusText)
        else { return .notAResultsLine }
        return .row(
            ReplayRow(
                ref: RowRef(job: job, source: source, row: row, line: scalar("line").flatMap(Int.init) ?? lineNumber),
                status: status,
                request: entries.last(where: { $0.key == "request" })?.value
            )
        )
    }
}
