import OutdialCore

/// What one attempt to start a contact came to.
public enum AttemptOutcome: Sendable {
    /// Connect accepted the request.
    case started(contactId: String, milliseconds: Int)
    /// Connect answered with an error. `error.retryable` says whether another attempt may help
    /// (throttling, 5xx); `error.http` is the status.
    case failed(RowError)
    /// The request may have reached Connect, but no answer came (timeout, connection lost after
    /// sending). A retry must reuse the ClientToken.
    case unknown(RowError)
    /// The request certainly did not leave this machine (connection refused, DNS failure).
    case notSent(RowError)
    /// Nothing more can be sent in this run: credentials refused, endpoint unreachable.
    case fatal(RowError)
}

/// Sends one planned row to Amazon Connect (or a stand-in). The executor owns retries, pacing and
/// records; a sender makes exactly one attempt per call.
public protocol ContactSender: Sendable {
    func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome
}
