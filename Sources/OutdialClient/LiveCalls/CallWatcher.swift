import Foundation
import OutdialCore

/// A call this run started and follows to its end.
public struct LiveCall: Sendable {
    public var row: PlannedRow
    public var contactId: String
    /// When the request that started it went out.
    public var startedAt: Date

    public init(row: PlannedRow, contactId: String, startedAt: Date) {
        self.row = row
        self.contactId = contactId
        self.startedAt = startedAt
    }
}

/// What asking about a live call gave.
public enum CallObservation: Sendable {
    /// What Connect says of it (live while `endedAt` is nil).
    case observed(CallRecord)
    /// Asking is not allowed (`AccessDeniedException`): the run stops following calls and pacing by
    /// them, says so once, and the summary says it too.
    case notAllowed(RowError)
    /// No answer this time (throttled, a network fault): asked again at the next poll.
    case failed(RowError)
    /// Connect cannot tell about this call (it does not know the contact): it is no longer
    /// followed, and its outcome is `unknown`.
    case lost(RowError)
}

/// Asks how a call this run started is doing (`DescribeContact`), and ends it (`StopContact`).
public protocol CallWatcher: Sendable {
    func observe(_ call: LiveCall) async -> CallObservation

    /// Ends the call (`outdial stop` stopped the run); true when it has ended, by this or before.
    func end(_ call: LiveCall) async -> Bool
}
