import OutdialCore

/// Sends one planned row to Amazon Connect (or a stand-in). The executor owns retries, pacing and
/// records; a sender makes exactly one attempt per call.
///
/// A sender honours task cancellation: the executor cancels attempts in flight when the run must
/// stop at once (a second interrupt), and expects the call to return promptly, with `unknown`
/// when the request may have left.
public protocol ContactSender: Sendable {
    func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome
}
