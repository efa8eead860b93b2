import OutdialCore

/// Which outcomes are tried again, and after how long.
///
/// Retried: throttling (HTTP 429, `TooManyRequestsException`, `ThrottlingException`,
/// `LimitExceededException`), 5xx, errors a sender marks retryable, requests that never left
/// (`notSent`), and unknown outcomes (retried soon with the same ClientToken: Connect answers a
/// repeated token with the contact already running). Backoff is capped exponential with full
/// jitter; unknown outcomes wait a short fixed delay instead.
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

    /// Error codes that mean "slow down".
    public static let throttlingCodes: Set<String> = [
        "TooManyRequestsException", "ThrottlingException", "LimitExceededException", "Throttling",
        "ThrottledException", "RequestLimitExceeded",
    ]

    /// Whether an answer asks the caller to slow down.
    public static func isThrottling(_ error: RowError) -> Bool {
        error.http == 429 || throttlingCodes.contains(error.code)
    }

    /// Whether another attempt may help an outcome.
    public static func isRetryable(_ outcome: AttemptOutcome) -> Bool {
        switch outcome {
        case .started, .fatal:
            return false
        case .unknown, .notSent:
            return true
        case .failed(let error):
            if isThrottling(error) { return true }
            if let http = error.http, http >= 500 { return true }
            return error.retryable == true
        }
    }

    /// The wait before attempt `attempt + 1`, after attempt `attempt` ended in `outcome`.
    /// - Parameter random: a number in `0..<1` (full jitter); injected for tests.
    public func delay(after outcome: AttemptOutcome, attempt: Int, random: Double) -> Duration {
        if case .unknown = outcome { return unknownDelay }
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
