import OutdialCore

/// A worker of a job several workers run (`--worker`) starts a row only while its lease is
/// certainly its own: while the lease may not have been renewed, rows wait for the next renewal;
/// once it has run out, nothing more starts (another worker may take the rows over), and the rows
/// are given back (`skipped: halted`, `LeaseLost`). Second in the chain, after the stop.
struct LeaseGate<Instant: InstantProtocol>: AdmissionGate where Instant.Duration == Duration {
    let feed: any RowFeed
    /// How soon a row waiting for a renewal asks again.
    var recheck: Duration = .milliseconds(100)

    func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        switch feed.lease() {
        case .held:
            return await next()
        case .unsure:
            return .notBefore(now.advanced(by: recheck))
        case .lost:
            return .skip(
                .halted,
                RowError(
                    code: ErrorCode.leaseLost,
                    message: "this worker could not renew its lease in time (the store was out of reach, or the "
                        + "process was paused); its rows are left to the other workers",
                    retryable: false
                )
            )
        }
    }
}
