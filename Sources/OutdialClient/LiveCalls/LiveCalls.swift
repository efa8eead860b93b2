import OutdialCore
import Synchronization

/// The calls of one run that may be live: attempts admitted whose request is still out
/// (`reserved`) and calls started and not yet seen ended (`live`). Shared by the active-calls gate
/// and the tasks that follow calls.
public final class LiveCalls<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    private struct State {
        var reserved: Set<TokenBucket<Instant>.Ticket> = []
        /// Attempts held for a place, in file order within a file (else in the order they first
        /// asked), with their row and when each last asked.
        var waiting: [(ticket: TokenBucket<Instant>.Ticket, source: String, row: Int, asked: Instant)] = []
        var live = 0
        /// Why following stopped (asking is not allowed); nil while it goes on.
        var stoppedBecause: RowError?
        /// Live calls at once, at most, over the run.
        var peak = 0
        /// Calls per queue that may be live (reserved or started), and each one's queue.
        var byQueue: [String: Int] = [:]
        var queueOfTicket: [TokenBucket<Instant>.Ticket: String] = [:]
        var queueOfContact: [String: String] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Calls that may be live now: started and not seen ended, plus requests still out.
    public var count: Int { state.withLock { $0.live + $0.reserved.count } }

    /// The most calls live at once so far.
    public var peak: Int { state.withLock { $0.peak } }

    /// Why calls are no longer followed, if they are not.
    public var stoppedBecause: RowError? { state.withLock { $0.stoppedBecause } }

    /// Takes a place for `ticket` when fewer than `limit` calls may be live; true when it holds one
    /// (also when it already did, or when following has stopped). Places go to the attempts held
    /// for one in file order (rows of different files in the order they first asked), so a row
    /// does not overtake an earlier one of its file; an attempt that stopped asking (`stale` ago)
    /// gives up its turn.
    func reserve(
        _ ticket: TokenBucket<Instant>.Ticket,
        row: RowRef,
        limit: Int,
        now: Instant,
        stale: Duration
    ) -> Bool {
        state.withLock { state in
            if state.stoppedBecause != nil || state.reserved.contains(ticket) { return true }
            state.waiting.removeAll { $0.ticket != ticket && $0.asked.advanced(by: stale) < now }
            let free = limit - state.live - state.reserved.count
            let place: Int
            if let index = state.waiting.firstIndex(where: { $0.ticket == ticket }) {
                state.waiting[index].asked = now
                place = index
            } else {
                // Before the first later row of the same file; rows asking at the same instant are
                // in no order of their own.
                place =
                    state.waiting.firstIndex { $0.source == row.source && $0.row > row.row } ?? state.waiting.count
                state.waiting.insert((ticket, row.source, row.row, now), at: place)
            }
            guard place < free else { return false }
            state.waiting.remove(at: place)
            state.reserved.insert(ticket)
            return true
        }
    }

    /// The attempt of `ticket` ended: a started call becomes live, any other gives its place back.
    func attemptEnded(_ ticket: TokenBucket<Instant>.Ticket, started: Bool) {
        state.withLock { state in
            guard state.reserved.remove(ticket) != nil, started else { return }
            state.live += 1
            state.peak = max(state.peak, state.live + state.reserved.count)
        }
    }

    /// Calls for `queue` that may be live: reserved by the agent gate or started and not ended.
    func count(queue: String) -> Int { state.withLock { $0.byQueue[queue, default: 0] } }

    /// Takes a place in `queue` for `ticket` when fewer than `limit` of its calls may be live.
    func reserve(_ ticket: TokenBucket<Instant>.Ticket, queue: String, limit: Int) -> Bool {
        state.withLock { state in
            if state.queueOfTicket[ticket] != nil { return true }
            guard state.byQueue[queue, default: 0] < limit else { return false }
            state.byQueue[queue, default: 0] += 1
            state.queueOfTicket[ticket] = queue
            return true
        }
    }

    /// The attempt of `ticket` ended: a started call keeps its queue's place until it ends.
    func queueAttemptEnded(_ ticket: TokenBucket<Instant>.Ticket, contactId: String?) {
        state.withLock { state in
            guard let queue = state.queueOfTicket.removeValue(forKey: ticket) else { return }
            if let contactId {
                state.queueOfContact[contactId] = queue
            } else {
                state.byQueue[queue, default: 1] -= 1
            }
        }
    }

    /// The call has ended (or is no longer followed): its place is free.
    func ended(_ contactId: String) {
        state.withLock { state in
            state.live = max(0, state.live - 1)
            if let queue = state.queueOfContact.removeValue(forKey: contactId) {
                state.byQueue[queue, default: 1] -= 1
            }
        }
    }

    /// Stops following calls (and pacing by them) for good; true the first time.
    func stopFollowing(because error: RowError) -> Bool {
        state.withLock { state in
            guard state.stoppedBecause == nil else { return false }
            state.stoppedBecause = error
            return true
        }
    }
}

/// `--max-active-calls N` (live-calls.md, "Pacing by live calls"): an attempt starts only while
/// fewer than N calls started by this run may be live (started and not seen ended, or with their
/// request still out). Placed before the rate gate, so a row held here takes no rate slot. When
/// following stops (`DescribeContact` denied), it lets every row through.
public struct ActiveCallsGate<Instant: InstantProtocol>: AdmissionGate where Instant.Duration == Duration {
    public let calls: LiveCalls<Instant>
    public let limit: Int
    /// How soon a row held here asks again (a place frees when a call is seen ended).
    public let recheck: Duration

    public init(calls: LiveCalls<Instant>, limit: Int, recheck: Duration = .milliseconds(50)) {
        self.calls = calls
        self.limit = limit
        self.recheck = recheck
    }

    public func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        let ticket = TokenBucket<Instant>.Ticket(clientToken: row.clientToken, attempt: attempt)
        guard calls.reserve(ticket, row: row.ref, limit: limit, now: now, stale: recheck * 4) else {
            return .notBefore(now.advanced(by: recheck))
        }
        return await next()
    }

    public var observesAttempts: Bool { true }

    public func attemptEnded(_ row: PlannedRow, attempt: Int, outcome: AttemptOutcome?, at now: Instant) async {
        let started = if case .started? = outcome { true } else { false }
        calls.attemptEnded(
            TokenBucket<Instant>.Ticket(clientToken: row.clientToken, attempt: attempt),
            started: started
        )
    }
}
