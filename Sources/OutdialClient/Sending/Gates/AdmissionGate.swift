import OutdialCore

/// A gate's answer for one attempt of one row.
public enum Admission<Instant: InstantProtocol>: Sendable {
    /// The attempt may start now.
    case go
    /// Not before this instant: the executor waits (racing the stop signal) and asks again.
    case notBefore(Instant)
    /// Set the row aside until this instant and start other rows meanwhile: its slot of the
    /// concurrency is freed, and it is admitted afresh then (`run --wait`, a calling window that
    /// opens later). Only for a first attempt.
    case later(Instant)
    /// The row is settled without this attempt: `skipped` with this reason, the error, and when its
    /// calling window opens (or, when an earlier attempt was made and it may have started the
    /// contact, `uncertain` from that attempt).
    case skip(SkipReason, RowError?, opensAt: String? = nil)
}

/// One rule about whether a row may be sent now (stop, deadline, rate; later the ledger, the
/// calling window, live calls, agents), asked before every attempt, in order, the way a
/// middleware chain is: a gate answers itself, or asks the gates after it (`next`) and may
/// change their answer (the deadline gate turns a wait past the deadline into a skip).
///
/// Gates read time only from the `now` they are given (the executor's injected clock) and keep
/// their state in themselves, never in globals.
public protocol AdmissionGate<Instant>: Sendable {
    associatedtype Instant: InstantProtocol

    /// Decides about attempt `attempt` (1 for the first) of `row` at `now`.
    /// - Parameter next: the answer of the gates after this one (`.go` after the last).
    func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant>

    /// Whether ``attemptEnded(_:attempt:outcome:at:)`` must be called (the chain calls only the
    /// gates that want it).
    var observesAttempts: Bool { get }

    /// Called once for every attempt this gate was asked about, when it ended: with its outcome
    /// when it was sent, `nil` when it was not (skipped by a gate, stopped, the journal failed).
    func attemptEnded(_ row: PlannedRow, attempt: Int, outcome: AttemptOutcome?, at now: Instant) async
}

extension AdmissionGate {
    public var observesAttempts: Bool { false }

    public func attemptEnded(_ row: PlannedRow, attempt: Int, outcome: AttemptOutcome?, at now: Instant) async {}
}
