/// A token bucket kept outside this process (the ledger's `quota_buckets`), shared by every
/// process that sends for one account and region.
public protocol SharedQuota: Sendable {
    /// Takes up to `want` tokens of the bucket `key` (refilled at `rate` a second up to `burst`).
    /// - Returns: the tokens given, and when none was, how long until the next one.
    func take(key: String, want: Int, rate: Double, burst: Int) async throws(RecordingError)
        -> (tokens: Int, retryAfter: Duration)

    /// Connect throttled a request of the bucket `key`: every process sharing it slows down.
    func throttled(key: String) async
}
