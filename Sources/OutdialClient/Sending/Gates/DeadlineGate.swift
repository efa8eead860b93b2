import OutdialCore

/// `--deadline`: no attempt starts at or after the deadline, and an attempt that the gates after
/// this one would hold (or set aside) until then is refused at once instead of waited for.
public struct DeadlineGate<Instant: InstantProtocol>: AdmissionGate {
    /// The deadline on the run's clock (converted from the wall-clock time once per run).
    public let deadline: Instant

    public init(deadline: Instant) {
        self.deadline = deadline
    }

    public func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        if now >= deadline { return .skip(.deadline, nil) }
        let answer = await next()
        switch answer {
        case .notBefore(let instant) where instant >= deadline, .later(let instant) where instant >= deadline:
            return .skip(.deadline, nil)
        default:
            return answer
        }
    }
}
