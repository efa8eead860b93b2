/// How long to wait before another attempt. Which outcomes are retried is decided where they are
/// received (``AttemptOutcome/isRetryable``); this only computes delays.
///
/// Backoff is capped exponential with full jitter; unknown outcomes (retried with the same
/// ClientToken: Connect answers a repeated token with the contact already running) wait a short
/// fixed delay instead.
public struct RetryPolicy: Sendable {
    /// Attempts per row, the first included.
    public var maxAttempts: Int
    /// Backoff base: the first retry waits up to this.
    public var base: Duration
    /// The longest backoff.
    public var cap: Duration
    /// The wait before retrying an unknown outcome.
    public var unknownDelay: Duration

    public init(
        maxAttempts: Int = 3,
        base: Duration = .milliseconds(100),
        cap: Duration = .seconds(5),
        unknownDelay: Duration = .milliseconds(200)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.base = base
        self.cap = cap
        self.unknownDelay = unknownDelay
    }

    /// The wait before attempt `attempt + 1`, after attempt `attempt` ended in `outcome`.
    /// - Parameter random: a number in `0..<1` (full jitter), from the executor's injected source.
    public func delay(after outcome: AttemptOutcome, attempt: Int, random: Double) -> Duration {
        if outcome.isUncertain { return unknownDelay }
        return backoff(attempt: attempt, random: random)
    }

    /// Full jitter: a uniform wait in `0 ..< min(cap, base · 2^(attempt-1))`.
    public func backoff(attempt: Int, random: Double) -> Duration {
        var ceiling = base
        var step = 1
        while step < attempt && ceiling < cap {
            ceiling = ceiling * 2
            step += 1
        }
        ceiling = min(ceiling, cap)
        return ceiling * min(max(random, 0), 1)
    }
}
