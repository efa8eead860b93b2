/// What the executor needs from a journal: an intent made durable before a request is sent, and
/// an outcome when the row settles.
public protocol JournalRecording: Sendable {
    /// Records that `row` is about to be sent. Returns once the record is durable.
    /// - Throws: `RecordingError.journalWriteFailed`; the row must then not be sent.
    func recordIntent(for row: PlannedRow) async throws(RecordingError)

    /// Records how `row` settled. Not waited on for durability: a lost outcome leaves the row
    /// `uncertain` on resume, which is safe.
    func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async
}

/// The settled states a journal records.
public enum JournalOutcome: Sendable, Hashable {
    case started(contactId: String)
    case failed(code: String)
    case uncertain(code: String)
}
