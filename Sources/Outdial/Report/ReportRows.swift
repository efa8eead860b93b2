import Foundation
import OutdialCore

/// The rows of results files as a report needs them: each row once, as its latest line says (the
/// rule `replay` follows: a row is its job, source and index), in the order rows first appear. Kept
/// small, for results of a million rows: names are stored once and referred to by number, and only
/// a row that ended in an error keeps text of its own (its destination and message, masked).
struct ReportRows {
    /// A row: job, source and index, as numbers.
    struct Key: Hashable {
        var job: Int32
        var source: Int32
        var row: Int
    }

    /// What the latest line of a row says; names are indexes into `names`, -1 for none.
    struct Row {
        var key: Key
        /// The row's line in its job file.
        var line: Int
        var status: RowStatus
        var reason: Int32 = -1
        var timezone: Int32 = -1
        var outcome: Int32 = -1
        /// `error.code`, for a failed, uncertain or invalid row.
        var code: Int32 = -1
        /// `at`, seconds since 1970.
        var at: Double?
        /// The row's example text, in `details`: failed, uncertain and invalid rows only.
        var detail: Int32 = -1
    }

    /// The text a row that ended in an error is shown with.
    struct Detail {
        /// The destination, masked.
        var destination: String
        /// The message, every phone number in it masked.
        var message: String
        var at: String?
    }

    /// The statuses whose rows are counted as errors (by code, with examples).
    static let errorStatuses: Set<RowStatus> = [.failed, .uncertain, .invalid]

    private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]
    private var index: [Key: Int] = [:]
    private(set) var rows: [Row] = []
    private(set) var details: [Detail] = []
    /// Results lines added (a row written several times counts each time).
    private(set) var lines = 0

    /// Adds one line: it replaces any earlier line of the same row.
    mutating func add(_ line: ResultsFileLine) {
        lines += 1
        let key = Key(job: id(line.ref.job), source: id(line.ref.source), row: line.ref.row)
        var row = Row(key: key, line: line.ref.line, status: line.status)
        if line.status == .skipped, let reason = line.reason { row.reason = id(reason) }
        if let zone = line.timezone { row.timezone = id(zone) }
        if line.status == .started { row.outcome = id(line.outcome ?? "not followed") }
        row.at = line.at.flatMap(RFC3339Timestamp.date(from:))?.timeIntervalSince1970
        let position = index[key]
        if Self.errorStatuses.contains(line.status) {
            row.code = id(line.error?.code ?? "(no code)")
            let detail = Self.detail(line)
            // A row that ended in an error before keeps its slot.
            if let position, rows[position].detail >= 0 {
                row.detail = rows[position].detail
                details[Int(row.detail)] = detail
            } else {
                row.detail = Int32(details.count)
                details.append(detail)
            }
        }
        if let position {
            rows[position] = row
        } else {
            index[key] = rows.count
            rows.append(row)
        }
    }

    /// The name numbered `id`; nil for -1.
    func name(_ id: Int32) -> String? { id >= 0 ? names[Int(id)] : nil }

    private mutating func id(_ name: String) -> Int32 {
        if let id = ids[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        ids[name] = id
        return id
    }

    /// The row's destination and message, masked as the logs mask them.
    static func detail(_ line: ResultsFileLine) -> Detail {
        let destination = line.destination ?? ""
        let masked = destination.isEmpty ? "" : PhoneMasking.mask(destination)
        var message = line.error?.message ?? ""
        // A number as written (`+1 (212) 555-0199`) is not one run of digits: masked by its text.
        if !destination.isEmpty { message = message.replacingOccurrences(of: destination, with: masked) }
        return Detail(destination: masked, message: PhoneMasking.maskNumbers(in: message), at: line.at)
    }
}
