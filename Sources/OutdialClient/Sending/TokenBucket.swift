import Synchronization

/// Paces request starts: `rate` per second on average, at most `burst` at once, with the rate
/// adapting to throttled answers (see ``RateSchedule``). Shared by every sending task; it never
/// sleeps: it books instants, and the caller waits for them (racing the run's stop signal).
///
/// A booking belongs to a ticket (one attempt of one row): asking again for the same ticket
/// returns its booking, so a caller that waited and asks again does not book a second slot.
public final class TokenBucket<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// One attempt of one row.
    public struct Ticket: Hashable, Sendable {
        public var clientToken: String
        public var attempt: Int

        public init(clientToken: String, attempt: Int) {
            self.clientToken = clientToken
            self.attempt = attempt
        }
    }

    private struct State {
        var schedule: RateSchedule<Instant>
        var booked: [Ticket: Instant] = [:]
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - rate: requests per second; 0 means unlimited.
    ///   - burst: requests allowed at one instant.
    public init(rate: Double, burst: Int) {
        state = Mutex(State(schedule: RateSchedule(rate: rate, burst: burst)))
    }

    /// Books the start of `ticket` arriving at `now`.
    /// - Returns: `nil` when it may start now (its booking, if any, is used up), else the
    ///   instant booked for it.
    public func reserve(_ ticket: Ticket, at now: Instant) -> Instant? {
        state.withLock { state in
            if let slot = state.booked[ticket] {
                if slot <= now {
                    state.booked[ticket] = nil
                    return nil
                }
                return slot
            }
            let slot = state.schedule.reserve(at: now)
            if slot <= now { return nil }
            state.booked[ticket] = slot
            return slot
        }
    }

    /// Forgets the booking of a ticket that will not start (skipped, stopped). Its slot is not
    /// given back: the rate only errs on the slow side.
    public func release(_ ticket: Ticket) {
        state.withLock { _ = $0.booked.removeValue(forKey: ticket) }
    }

    /// Notes a throttled answer at `now` (429, ThrottlingException, …): the rate goes down.
    public func throttled(at now: Instant) {
        state.withLock { $0.schedule.throttled(at: now) }
    }

    /// Notes an accepted request: the rate creeps back up.
    public func succeeded() {
        state.withLock { $0.schedule.succeeded() }
    }

    /// The rate now in force, per second.
    public var currentRate: Double { state.withLock { $0.schedule.rate } }

    /// Bookings not used or released yet.
    public var bookedCount: Int { state.withLock { $0.booked.count } }
}
