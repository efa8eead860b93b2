import OutdialCore
import Synchronization

/// `--rate` and `--burst` as the account's quota shared by several processes (ledger.md, "Many
/// machines"): an attempt starts only with a token of the shared bucket. Tokens are taken from
/// the store a few at a time (a tenth of a second's worth), one take at a time per process, and a
/// token not used within `hold` is let go, so the requests of all the processes together never
/// exceed the bucket by more than what one process holds for that long. A throttled answer slows
/// every process down (the store halves the pace). The bucket holds a tenth of a second's worth
/// less than `--burst` (at least one), for the spread of the requests on their way. When the store cannot be asked, no attempt
/// starts: the row is `skipped: halted` with the store's error (fail closed).
///
/// Last in the chain (in place of the process's own rate gate), so rows other gates hold take no
/// token.
public final class SharedQuotaGate<Instant: InstantProtocol>: AdmissionGate, Sendable
where Instant.Duration == Duration {
    private struct State {
        /// When each token held here stops being usable.
        var held: [Instant] = []
        /// A take from the store is under way.
        var taking = false
        /// The store had no token: none is asked for before this.
        var emptyUntil: Instant?
    }

    public let quota: any SharedQuota
    public let key: String
    public let rate: Double
    public let burst: Int
    /// How long a token taken from the store may wait here to be used.
    public let hold: Duration
    /// How soon a row asks again while another one is taking tokens from the store.
    public let recheck: Duration
    /// Whether a row waits while the store's server cannot be reached (a worker, whose lease
    /// bounds the wait), rather than being skipped.
    public let waitsForStore: Bool
    private let state = Mutex(State())

    public init(
        quota: any SharedQuota,
        key: String,
        rate: Double,
        burst: Int,
        hold: Duration = .milliseconds(100),
        recheck: Duration = .milliseconds(5),
        waitsForStore: Bool = false
    ) {
        self.waitsForStore = waitsForStore
        self.quota = quota
        self.key = key
        self.rate = rate
        // A tenth of a second's worth (at least one) is kept in reserve under the burst: a request
        // leaves a little after its token (its intent is committed first), so requests bunch up
        // on their way by about that much, and Connect's bucket of the same size must still have
        // room for them.
        self.burst = max(1, burst - max(1, Int((rate / 10).rounded(.up))))
        self.hold = hold
        self.recheck = recheck
    }

    /// Tokens asked of the store at once: a tenth of a second's worth, at least one, at most the burst.
    var batch: Int { max(1, min(burst, Int(rate / 10))) }

    private enum Turn {
        case use
        case wait(Instant)
        case take
    }

    public func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        let turn = state.withLock { state -> Turn in
            state.held.removeAll { $0 <= now }
            if !state.held.isEmpty {
                state.held.removeFirst()
                return .use
            }
            if let until = state.emptyUntil, until > now { return .wait(until) }
            if state.taking { return .wait(now.advanced(by: recheck)) }
            state.taking = true
            return .take
        }
        switch turn {
        case .use:
            return await next()
        case .wait(let instant):
            return .notBefore(instant)
        case .take:
            break
        }
        let answer: (tokens: Int, retryAfter: Duration)
        do {
            answer = try await quota.take(key: key, want: batch, rate: rate, burst: burst)
        } catch {
            state.withLock { $0.taking = false }
            if waitsForStore, error.code == ErrorCode.ledgerUnreachable {
                return .notBefore(now.advanced(by: .milliseconds(500)))
            }
            return .skip(.halted, RowError(code: error.code, message: error.message))
        }
        let emptyUntil = state.withLock { state -> Instant? in
            state.taking = false
            guard answer.tokens > 0 else {
                state.emptyUntil = now.advanced(by: max(answer.retryAfter, .milliseconds(1)))
                return state.emptyUntil
            }
            state.emptyUntil = nil
            // One for this row; the others wait here, for `hold` at most.
            state.held += Array(repeating: now.advanced(by: hold), count: answer.tokens - 1)
            return nil
        }
        if let emptyUntil { return .notBefore(emptyUntil) }
        return await next()
    }

    public var observesAttempts: Bool { true }

    public func attemptEnded(_ row: PlannedRow, attempt: Int, outcome: AttemptOutcome?, at now: Instant) async {
        guard let outcome, outcome.isThrottling else { return }
        await quota.throttled(key: key)
    }
}
