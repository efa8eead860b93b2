import OutdialCore

/// The gates of a run, in order, built once.
public struct AdmissionChain<Instant: InstantProtocol>: Sendable {
    private let gates: [any AdmissionGate<Instant>]
    private let observers: [any AdmissionGate<Instant>]

    public init(_ gates: [any AdmissionGate<Instant>]) {
        self.gates = gates
        self.observers = gates.filter { $0.observesAttempts }
    }

    /// Asks every gate, first to last, about attempt `attempt` of `row` at `now`.
    public func admit(_ row: PlannedRow, attempt: Int, now: Instant) async -> Admission<Instant> {
        await admit(row, attempt: attempt, now: now, from: 0)
    }

    private func admit(_ row: PlannedRow, attempt: Int, now: Instant, from index: Int) async -> Admission<Instant> {
        guard index < gates.count else { return .go }
        return await gates[index].admit(row, attempt: attempt, now: now) {
            await admit(row, attempt: attempt, now: now, from: index + 1)
        }
    }

    /// Tells the gates that observe attempts that one ended.
    public func attemptEnded(_ row: PlannedRow, attempt: Int, outcome: AttemptOutcome?, at now: Instant) async {
        for gate in observers {
            await gate.attemptEnded(row, attempt: attempt, outcome: outcome, at: now)
        }
    }
}
