import OutdialCore

/// `--rate` and `--burst`: holds each attempt until the token bucket's slot for it, and adapts
/// the rate to the answers (throttled: down; started: back up). Last in the chain, so rows the
/// other gates hold use no slot.
public struct RateGate<Instant: InstantProtocol>: AdmissionGate where Instant.Duration == Duration {
    /// The shared bucket.
    public let bucket: TokenBucket<Instant>

    public init(bucket: TokenBucket<Instant>) {
        self.bucket = bucket
    }

    public func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        let ticket = TokenBucket<Instant>.Ticket(clientToken: row.clientToken, attempt: attempt)
        if let slot = bucket.reserve(ticket, at: now) { return .notBefore(slot) }
        return await next()
    }

    public var observesAttempts: Bool { true }

    public func attemptEnded(_ row: PlannedRow, attempt: Int, outcome: AttemptOutcome?, at now: Instant) async {
        switch outcome {
        case nil:
            bucket.release(TokenBucket<Instant>.Ticket(clientToken: row.clientToken, attempt: attempt))
        case .some(.started):
            bucket.succeeded()
        case let outcome? where outcome.isThrottling:
            bucket.throttled(at: now)
        default:
            break
        }
    }
}
