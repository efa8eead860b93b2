/// What the executor needs from its records (the ledger): an intent made durable before a
/// request is sent — or a refusal, when the rules the records keep (suppression, communication
/// limits) say the row must not be sent — and an outcome when the row settles.
public protocol JournalRecording: Sendable {
    /// Records that `row` is about to be sent, or refuses it. Returns once the record is durable.
    /// - Throws: `RecordingError`; the row must then not be sent, and the run stops starting rows.
    func recordIntent(for row: PlannedRow) async throws(RecordingError) -> IntentAnswer

    /// Records how `row` settled. Returns once the outcome is written (a result line written
    /// after it never contradicts the records after a crash); it need not be synced to disk: an
    /// outcome lost to a power cut leaves the row `uncertain` on resume, which is safe.
    func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async

    /// `recordOutcome(for:_:)` with the number of requests sent for the row (0 when none was).
    func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome, attempts: Int) async

    /// Whether `outdial stop` asked this run's jobs to stop since the run began: the reason it
    /// gave (or a default text), else nil. Asked about once a second.
    func stopRequested() async -> String?
}

extension JournalRecording {
    public func stopRequested() async -> String? { nil }

    public func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome, attempts: Int) async {
        await recordOutcome(for: row, outcome)
    }
}

/// The settled states a journal records.
public enum JournalOutcome: Sendable, Hashable {
    case started(contactId: String)
    case failed(code: String)
    case uncertain(code: String)
}

/// The records' answer to an intent.
public enum IntentAnswer: Sendable, Hashable {
    /// The intent is durable: the request may leave.
    case recorded
    /// The row must not be sent: `skipped` with this reason, error and (for `limit`) the time the
    /// limits allow the destination again.
    case refused(Refusal)
}

/// Why the records refused a row.
public struct Refusal: Sendable, Hashable {
    public var reason: SkipReason
    public var error: RowError
    /// For `limit`: RFC 3339 UTC.
    public var nextAllowedAt: String?

    public init(reason: SkipReason, error: RowError, nextAllowedAt: String? = nil) {
        self.reason = reason
        self.error = error
        self.nextAllowedAt = nextAllowedAt
    }
}
