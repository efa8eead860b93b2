import OutdialBase
import OutdialCore

/// The rows of results files to send again: each row counts once, as its latest line says (a
/// results file may hold several runs of the same job appended), in the order rows first appear.
struct ReplaySelection {
    private var latest: [ReplayRow.Key: ReplayRow] = [:]
    private var order: [ReplayRow.Key] = []

    init() {}

    /// Adds the lines of one results file's contents; problems go to `warn` as `file:line:1:`
    /// warnings.
    mutating func add(contents: [UInt8], file: String, warn: (String) -> Void) {
        var lineNumber = 0
        for slice in contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            switch ReplayRow.read(slice, file: file, lineNumber: lineNumber) {
            case .blank:
                continue
            case .notAResultsLine:
                warn(
                    "\(file):\(lineNumber):1: warning: not a results line (job, source, row, line and status are needed); ignored"
                )
            case .notJSON(let problem):
                warn("\(file):\(lineNumber):1: warning: not complete JSON (\(problem)); ignored")
            case .row(let row):
                add(row)
            }
        }
    }

    /// Adds one line: it replaces any earlier line of the same row.
    mutating func add(_ row: ReplayRow) {
        if latest[row.key] == nil { order.append(row.key) }
        latest[row.key] = row
    }

    /// The rows whose latest line has one of `statuses`, in first-seen order.
    func rows(withStatus statuses: Set<RowStatus>) -> [ReplayRow] {
        order.compactMap { key in
            guard let row = latest[key], statuses.contains(row.status) else { return nil }
            return row
        }
    }
}
