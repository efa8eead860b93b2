import OutdialCore

/// What the shared bucket gave (`Ledger.takeQuota`).
public struct QuotaGrant: Sendable, Hashable {
    /// Requests that may start now (0 … the number asked for).
    public var tokens: Int
    /// When none was given: how long until the next one is there.
    public var retryAfter: Duration
    /// The share of `--rate` every process of the bucket sends at now (1 until Connect throttles;
    /// halved by a throttled answer, then back up by a tenth of the rate a second).
    public var pace: Double
}

/// The account's API quota, shared by every process that records in this store (ledger.md, "Many
/// machines"): one token bucket per key (the account and region), kept in `quota_buckets`, taken
/// from in small batches, so that processes of one account together never start more than
/// `--rate` requests a second (and `--burst` at once), wherever they run.
///
/// Tokens are counted in millionths and refilled from the time of the last take, on each
/// process's wall clock (kept by NTP on servers; a clock ahead by a second refills at most a
/// second's worth once, never more than the burst). A throttled answer (`429`) seen by any of
/// them halves the pace of all: each take reads it.
extension Ledger {
    /// Millionths of a token.
    static let micro = 1_000_000
    /// The lowest pace a throttled bucket falls to, in thousandths.
    static let lowestPace = 100
    /// A second throttled answer within this many milliseconds of the one that halved the pace is
    /// the same burst of answers, and does not halve it again.
    static let throttleQuietMilliseconds = 1_000

    /// Takes up to `want` tokens from the bucket `key`, which refills at `rate` a second (times
    /// its pace) up to `burst`.
    public func takeQuota(key: String, want: Int, rate: Double, burst: Int) async throws(RecordingError) -> QuotaGrant {
        let now = nowMilliseconds()
        let micro = Self.micro
        let capacity = max(1, burst) * micro
        let want = max(1, min(want, max(1, burst)))
        return try await changingBucket(key, now: now, capacity: capacity) { bucket in
            let perMillisecond = rate * Double(bucket.pace(at: now)) / 1000 * Double(micro) / 1000
            let elapsed = max(0, now - bucket.updatedAt)
            bucket.tokens = min(capacity, bucket.tokens + Int(Double(elapsed) * perMillisecond))
            let granted = min(want, bucket.tokens / micro)
            bucket.tokens -= granted * micro
            bucket.updatedAt = max(bucket.updatedAt, now)
            let missing = Double(micro - bucket.tokens % micro)
            let wait = granted > 0 || perMillisecond <= 0 ? 0 : Int((missing / perMillisecond).rounded(.up))
            return QuotaGrant(
                tokens: granted,
                retryAfter: .milliseconds(wait),
                pace: Double(bucket.pace(at: now)) / 1000
            )
        }
    }

    /// Connect throttled a request of the bucket `key`: every process of the bucket slows to half
    /// its pace (once for a burst of throttled answers).
    public func quotaThrottled(key: String) async throws(RecordingError) {
        let now = nowMilliseconds()
        let (lowest, quiet) = (Self.lowestPace, Self.throttleQuietMilliseconds)
        try await changingBucket(key, now: now, capacity: 0) { bucket in
            if let last = bucket.throttledAt, now - last < quiet { return }
            bucket.paceAtThrottle = max(lowest, bucket.pace(at: now) / 2)
            bucket.throttledAt = now
        }
    }

    /// Reads the bucket `key` (a new one holds `capacity`), lets `change` alter it and writes it
    /// back, in one writing transaction that need not reach the disk before it returns.
    private func changingBucket<T: Sendable>(
        _ key: String,
        now: Int,
        capacity: Int,
        _ change: @escaping @Sendable (inout QuotaBucket) -> T
    ) async throws(RecordingError) -> T {
        try await changing { session throws(LedgerDatabaseError) -> T in
            var bucket = try Self.bucket(key, now: now, capacity: capacity, in: session)
            let value = change(&bucket)
            try Self.save(bucket, key, in: session)
            return value
        }
    }

    /// A row of `quota_buckets`.
    private struct QuotaBucket {
        /// Millionths of a token.
        var tokens: Int
        var updatedAt: Int
        /// Thousandths of the rate, as set by the last throttled answer.
        var paceAtThrottle: Int
        var throttledAt: Int?

        /// The pace now: back up by a tenth of the rate a second since the last throttled answer.
        func pace(at now: Int) -> Int {
            guard let throttledAt else { return 1000 }
            return min(1000, paceAtThrottle + max(0, now - throttledAt) / 10)
        }
    }

    /// The bucket `key` (a new one is full: `capacity`).
    private static func bucket(_ key: String, now: Int, capacity: Int, in session: any LedgerSession)
        throws(LedgerDatabaseError) -> QuotaBucket
    {
        let row = try session.query(
            "SELECT tokens, updated_at, pace, throttled_at FROM quota_buckets WHERE key = $1",
            [.text(key)]
        ).first
        return QuotaBucket(
            tokens: row?[0].integer ?? capacity,
            updatedAt: row?[1].integer ?? now,
            paceAtThrottle: row?[2].integer ?? 1000,
            throttledAt: row?[3].integer
        )
    }

    private static func save(_ bucket: QuotaBucket, _ key: String, in session: any LedgerSession)
        throws(LedgerDatabaseError)
    {
        try session.execute(
            """
            INSERT INTO quota_buckets (key, tokens, updated_at, pace, throttled_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at,
                pace = excluded.pace, throttled_at = excluded.throttled_at
            """,
            [
                .text(key), .integer(bucket.tokens), .integer(bucket.updatedAt), .integer(bucket.paceAtThrottle),
                .integer(bucket.throttledAt),
            ]
        )
    }
}

extension Ledger: SharedQuota {
    public func take(key: String, want: Int, rate: Double, burst: Int) async throws(RecordingError)
        -> (tokens: Int, retryAfter: Duration)
    {
        let grant = try await takeQuota(key: key, want: want, rate: rate, burst: burst)
        return (grant.tokens, grant.retryAfter)
    }

    public func throttled(key: String) async {
        try? await quotaThrottled(key: key)
    }
}
