import Foundation

/// What a job's journal says about earlier runs, keyed by ClientToken.
public struct JournalState: Sendable {
    /// The last known state of one ClientToken.
    public enum Entry: Sendable, Hashable {
        /// Connect accepted it.
        case started(contactId: String)
        /// An intent was recorded and no outcome: the process died mid-request, or the outcome
        /// was unknown.
        case uncertain
        /// It was refused, or retries ran out.
        case failed(code: String)
    }

    /// Entries by ClientToken.
    public private(set) var entries: [String: Entry] = [:]
    /// Lines that could not be read (at most a torn last line after a crash).
    public private(set) var ignoredLines = 0
    /// The 1-based number of the first line that could not be read, if any.
    public private(set) var firstIgnoredLine: Int?

    public init() {}

    /// The entry for a ClientToken, if the journal knows it.
    public subscript(clientToken: String) -> Entry? { entries[clientToken] }

    /// Whether nothing was recorded.
    public var isEmpty: Bool { entries.isEmpty }

    /// Reads a journal file; a missing file is an empty journal.
    /// - Throws: `RecordingError.journalUnreadable` when the file exists but cannot be read.
    public static func load(path: String) throws(RecordingError) -> JournalState {
        let bytes: [UInt8]?
        do {
            bytes = try SystemCalls.readFile(path)
        } catch {
            throw .journalUnreadable(path, error.text)
        }
        return parse(bytes ?? [])
    }

    /// Reads journal bytes. Bytes after the last newline (a record cut short by a crash) and
    /// lines that are not records are ignored.
    public static func parse(_ bytes: [UInt8]) -> JournalState {
        var state = JournalState()
        let decoder = JSONDecoder()
        var start = 0
        var lineNumber = 0
        while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            defer { start = end + 1 }
            lineNumber += 1
            if end == start { continue }
            guard let record = try? decoder.decode(JournalRecord.self, from: Data(bytes[start ..< end])) else {
                state.ignore(line: lineNumber)
                continue
            }
            state.apply(record)
        }
        if start < bytes.count {
            state.ignore(line: lineNumber + 1)
        }
        return state
    }

    /// The warning to show for a journal at `path` with lines that could not be read, naming the
    /// first; nil when every line was read.
    public func warning(path: String) -> String? {
        guard let firstIgnoredLine else { return nil }
        let others = ignoredLines - 1
        return "journal \(path): line \(firstIgnoredLine) is not a journal record and was ignored"
            + (others > 0 ? " (and \(others) more line\(others == 1 ? "" : "s"))" : "")
            + "; rows it recorded may be taken as never sent"
    }

    private mutating func ignore(line: Int) {
        ignoredLines += 1
        if firstIgnoredLine == nil { firstIgnoredLine = line }
    }

    private mutating func apply(_ record: JournalRecord) {
        if let token = record.intent {
            // A new attempt after an earlier outcome: unknown again until its own outcome.
            if case .started = entries[token] { return }
            entries[token] = .uncertain
        } else if let token = record.outcome {
            if case .started = entries[token] { return }
            switch record.status {
            case "started": entries[token] = .started(contactId: record.contactId ?? "")
            case "failed": entries[token] = .failed(code: record.code ?? "")
            default: entries[token] = .uncertain
            }
        }
    }
}

/// One journal line. Intent: `{"intent":TOKEN,"source":…,"row":…,"t":…}`; outcome:
/// `{"outcome":TOKEN,"status":…,"contactId":…,"code":…}`.
struct JournalRecord: Decodable {
    var intent: String?
    var outcome: String?
    var status: String?
    var contactId: String?
    var code: String?

    static func intentLine(for row: PlannedRow, at date: Date) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.beginObject()
        w.field("intent", row.clientToken)
        w.field("source", row.ref.source)
        w.field("row", row.ref.row)
        w.field("t", RFC3339Timestamp.string(from: date))
        w.endObject()
        w.newline()
        return w.bytes
    }

    static func outcomeLine(for row: PlannedRow, _ outcome: JournalOutcome, at date: Date) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.beginObject()
        w.field("outcome", row.clientToken)
        switch outcome {
        case .started(let contactId):
            w.field("status", "started")
            w.field("contactId", contactId)
        case .failed(let code):
            w.field("status", "failed")
            w.field("code", code)
        case .uncertain(let code):
            w.field("status", "uncertain")
            w.field("code", code)
        }
        w.field("t", RFC3339Timestamp.string(from: date))
        w.endObject()
        w.newline()
        return w.bytes
    }
}
