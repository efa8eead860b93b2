import Foundation
import OutdialCore

/// Calling windows (calling-window.md): a row starts only while its window is open in every one of
/// its zones, and not within the window's margin of closing; a row with no time zone is never
/// called. Rows of a job with `window: off` pass.
///
/// - A closed window: `skipped: outside-window` with `opensAt`; with `--wait` the row is set aside
///   (`later`) until the window opens, when that is before `--deadline`.
/// - Open now, but the rate limit's slot for the row falls after the last start: as if closed.
/// - A retry when the window has closed: `skipped: window-closed` (unless an earlier attempt may
///   have started the contact: then the row stays `uncertain`).
///
/// Placed after the stop and deadline gates and before the rate gate, so that rows held by their
/// window take no slot of the rate. The decision itself is `WindowJudge.rule`, shared with a dry
/// run and `plan --at`.
public struct WindowGate<Instant: InstantProtocol>: AdmissionGate where Instant.Duration == Duration {
    public let judge: WindowJudge
    /// `--wait`.
    public let wait: Bool
    /// The run's deadline, on the wall clock.
    public let deadline: Date?
    /// The wall-clock time of an instant of the run's clock, and back.
    private let date: @Sendable (Instant) -> Date
    private let instant: @Sendable (Date) -> Instant
    /// The rate gate's bucket, whose booking for a row set aside is given back.
    private let bucket: TokenBucket<Instant>?

    public init(
        judge: WindowJudge,
        wait: Bool,
        deadline: Date?,
        date: @escaping @Sendable (Instant) -> Date,
        instant: @escaping @Sendable (Date) -> Instant,
        bucket: TokenBucket<Instant>?
    ) {
        self.judge = judge
        self.wait = wait
        self.deadline = deadline
        self.date = date
        self.instant = instant
        self.bucket = bucket
    }

    public func admit(
        _ row: PlannedRow,
        attempt: Int,
        now: Instant,
        next: () async -> Admission<Instant>
    ) async -> Admission<Instant> {
        guard let window = row.window else { return await next() }
        let ruling = judge.rule(window, at: date(now), attempt: attempt, wait: wait, deadline: deadline)
        guard case .start(let view) = ruling else { return admission(ruling) }
        let answer = await next()
        guard case .notBefore(let slot) = answer, case .open(let opening) = view.decision,
            let late = judge.ruleLateStart(
                window,
                opening: opening,
                startingAt: date(slot),
                attempt: attempt,
                wait: wait,
                deadline: deadline
            )
        else { return answer }
        // The window closes before the rate limit would let the row start: its booking is given
        // back (a row set aside asks for a new one when its window opens).
        bucket?.release(TokenBucket<Instant>.Ticket(clientToken: row.clientToken, attempt: attempt))
        return admission(late)
    }

    private func admission(_ ruling: WindowRuling) -> Admission<Instant> {
        switch ruling {
        case .start: .go
        case .wait(let until, _): .later(instant(until))
        case .skip(let reason, let error, let opensAt): .skip(reason, error, opensAt: opensAt)
        }
    }
}
