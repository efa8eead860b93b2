import Foundation

/// What the calling window rules for one attempt of one row at one instant: the one decision that
/// `run` (through its admission gate), a dry run and `plan --at` all take (calling-window.md, "When
/// a row is outside its window").
public enum WindowRuling: Sendable, Hashable {
    /// The attempt may start now (the window is open, and not within its margin of closing).
    case start(WindowView)
    /// `run --wait`: set the row aside until `until`, when its window opens.
    case wait(until: Date, WindowView)
    /// The row is not called now: `skipped` with this reason and error, and when the window opens
    /// next (RFC 3339 on the row's clock), when it does within the search.
    case skip(SkipReason, RowError, opensAt: String?)
}

extension WindowJudge {
    /// The ruling for attempt `attempt` (1 for the first) of a row held to `window`, at `instant`.
    /// - Parameters:
    ///   - wait: rows whose window is closed wait for it to open (`run --wait`) instead of being
    ///     skipped; never a retry, which is `window-closed` instead.
    ///   - deadline: a row whose window opens only at or after this instant is skipped, not held.
    public func rule(
        _ window: RowWindow,
        at instant: Date,
        attempt: Int = 1,
        wait: Bool = false,
        deadline: Date? = nil
    ) -> WindowRuling {
        let view = view(window, at: instant)
        switch view.decision {
        case .open:
            return .start(view)
        case .noTimeZone:
            return .skip(
                .noTimezone,
                RowError(
                    code: ErrorCode.noTimeZone,
                    message: "no time zone is known for this number, so its calling hours cannot be told; "
                        + "give the row a timezone: or the job's window a fallbackTimezone:",
                    retryable: false
                ),
                opensAt: nil
            )
        case .noOpening(let end):
            return skip(
                window,
                view: view,
                attempt: attempt,
                because: "its calling window \(Self.describe(window)) does not open before "
                    + Self.localTimestamp(end, zones: window.zones)
            )
        case .closed(let next):
            if attempt <= 1, wait, deadline.map({ next.opensAt < $0 }) ?? true {
                return .wait(until: next.opensAt, view)
            }
            var because = "its calling window \(Self.describe(window)) is closed"
            if let deadline, wait, next.opensAt >= deadline { because += " until after --deadline" }
            return skip(window, view: view, attempt: attempt, because: because)
        }
    }

    /// The ruling when the row could start only at `start` (the rate limit's slot for it), with
    /// the window open now as `opening`: nil when it still starts in time, else the ruling for a
    /// row whose window closes first (it waits for the next opening, or is skipped).
    public func ruleLateStart(
        _ window: RowWindow,
        opening: WindowStatus.Opening,
        startingAt start: Date,
        attempt: Int = 1,
        wait: Bool = false,
        deadline: Date? = nil
    ) -> WindowRuling? {
        guard let lastStart = opening.startsBefore, start >= lastStart else { return nil }
        return rule(window, at: lastStart, attempt: attempt, wait: wait, deadline: deadline)
    }

    private func skip(_ window: RowWindow, view: WindowView, attempt: Int, because: String) -> WindowRuling {
        let reason: SkipReason = attempt > 1 ? .windowClosed : .outsideWindow
        var message =
            attempt > 1
            ? "not retried: \(because)" : "not called now: \(because)"
        if let opensAt = view.opensAt { message += "; it opens \(opensAt)" }
        return .skip(
            reason,
            RowError(
                code: attempt > 1 ? ErrorCode.windowClosed : ErrorCode.outsideWindow,
                message: message,
                retryable: true
            ),
            opensAt: view.opensAt
        )
    }

    /// `08:00-21:00 in America/New_York`.
    static func describe(_ window: RowWindow) -> String {
        "\(window.calling.hours) in \(window.zones.joined(separator: " and "))"
    }
}

extension PlannedRow {
    /// The line `plan --at` and a dry run give the row as if it were sent at `instant`: `planned`
    /// with its request and `window: {timezone, opensAt, closesAt}`, or `skipped` (with `opensAt`,
    /// and the window when the row has a zone) when its calling window would keep it from being
    /// called; a row of a job with `window: off` is `planned` with no window.
    public func windowedLine(judge: WindowJudge, at instant: Date, wait: Bool = false, deadline: Date? = nil)
        -> ResultLine
    {
        var line = resultLine()
        guard let window else { return line }
        line.timezone = window.label
        switch judge.rule(window, at: instant, wait: wait, deadline: deadline) {
        case .start(let view), .wait(_, let view):
            line.window = view
        case .skip(let reason, let error, let opensAt):
            line.status = .skipped
            line.reason = reason
            line.error = error
            line.opensAt = opensAt
            if !window.zones.isEmpty { line.window = judge.view(window, at: instant) }
        }
        return line
    }
}
