/// Paces request starts: `rate` per second on average, at most `burst` at once, with the rate
/// adapting to throttled answers (see `RateSchedule`). Shared by every sending task.
public actor TokenBucket<C: Clock> where C.Duration == Duration {
    private let clock: C
    private var schedule: RateSchedule<C.Instant>

    /// - Parameters:
    ///   - rate: requests per second; 0 means unlimited.
    ///   - burst: requests allowed at one instant.
    ///   - clock: the clock to schedule and sleep against.
    public init(rate: Double, burst: Int, clock: C) {
        self.clock = clock
        self.schedule = RateSchedule(rate: rate, burst: burst)
    }

    /// Returns when the caller may start a request. The slot is booked at once and the wait is
    /// to an absolute instant, so waiters never drift.
    public func acquire() async {
        let now = clock.now
        let slot = schedule.reserve(at: now)
        if slot > now {
            // Cancellation ends the wait early; the caller checks whether it should still send.
            try? await clock.sleep(until: slot, tolerance: nil)
        }
    }

    /// Like `acquire()`, but gives up without waiting when the slot falls after `deadline`, and
    /// stops waiting when `shouldStop` turns true (checked every `pollInterval`).
    /// - Returns: whether the caller may start its request now.
    public func acquire(
        before deadline: C.Instant?,
        pollInterval: Duration = .milliseconds(200),
        shouldStop: @Sendable () -> Bool
    ) async -> Bool {
        let now = clock.now
        let slot = schedule.reserve(at: now)
        if let deadline, slot >= deadline { return false }
        var wakeAt = now
        while wakeAt < slot {
            if shouldStop() { return false }
            wakeAt = min(slot, clock.now.advanced(by: pollInterval))
            do {
                try await clock.sleep(until: wakeAt, tolerance: nil)
            } catch {
                return false
            }
        }
        return !shouldStop()
    }

    /// Notes a throttled answer (429, ThrottlingException, …): the rate goes down.
    public func throttled() {
        schedule.throttled(at: clock.now)
    }

    /// Notes an accepted request: the rate creeps back up.
    public func succeeded() {
        schedule.succeeded()
    }

    /// The rate now in force, per second.
    public var currentRate: Double { schedule.rate }
}

extension TokenBucket where C == ContinuousClock {
    /// A bucket on the continuous clock.
    public init(rate: Double, burst: Int) {
        self.init(rate: rate, burst: burst, clock: ContinuousClock())
    }
}
