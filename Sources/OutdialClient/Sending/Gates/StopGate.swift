import OutdialCore

/// Refuses every attempt once the run is stopped: `skipped: halted` after an abort (fatal
/// answer, halt rule, unreachable endpoint, journal or output failure), `skipped: interrupted`
/// after an interrupt. First in every chain.
struct StopGate<Instant: InstantProtocol>: AdmissionGate {
    let stop: StopSignal

    func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        if let reason = stop.reason { return .skip(reason, nil) }
        return await next()
    }
}
