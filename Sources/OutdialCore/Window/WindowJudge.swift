import Foundation
import OutdialBase
import Synchronization

/// What the calling window says about one row at one instant.
public enum WindowDecision: Sendable, Hashable {
    /// A call may start now; the opening says until when.
    case open(WindowStatus.Opening)
    /// No call may start now; `next` is the next opening in which one may.
    case closed(next: WindowStatus.Opening)
    /// No opening at all within the search (every day excluded or left out of `days`).
    case noOpening(searchedUntil: Date)
    /// The row has no time zone: it is never called.
    case noTimeZone
}

/// Decides, for rows and instants, whether their calling window lets a call start; shared by every
/// row of a run (and by `plan --at`, for one instant).
///
/// The window of a set of zones is worked out once (`WindowSchedule`, `horizonDays` ahead) and then
/// asked by binary search: rows with the same zones and window cost one dictionary lookup. A zone
/// name the system's tz database does not know makes the row's zones unknown: the row is never
/// called (fail closed).
public final class WindowJudge: Sendable {
    /// How far ahead of the instant asked about a schedule reaches, in days.
    public static let horizonDays = 15

    /// A set of zones' schedule, and the last view asked of it (`plan --at` asks every row at one
    /// instant: the view, timestamps included, is made once per set of zones).
    private struct Entry {
        var schedule: WindowSchedule
        var lastView: WindowView?
    }

    private let entries = Mutex<[RowWindow: Entry]>([:])

    public init() {}

    /// The decision for `window` at `instant`.
    public func decide(_ window: RowWindow, at instant: Date) -> WindowDecision {
        guard !window.zones.isEmpty else { return .noTimeZone }
        return entries.withLock { entries in
            guard let schedule = Self.schedule(for: window, at: instant, in: &entries) else { return .noTimeZone }
            return Self.decision(schedule.status(at: instant))
        }
    }

    /// The decision for `window` at `instant` with the zone's label and the opening as local
    /// timestamps, as result lines show them.
    public func view(_ window: RowWindow, at instant: Date) -> WindowView {
        guard !window.zones.isEmpty else { return WindowView(decision: .noTimeZone, timezone: window.label) }
        return entries.withLock { entries in
            if let last = entries[window]?.lastView, last.instant == instant { return last }
            guard let schedule = Self.schedule(for: window, at: instant, in: &entries) else {
                return WindowView(decision: .noTimeZone, timezone: window.label)
            }
            let view = WindowView(
                decision: Self.decision(schedule.status(at: instant)),
                timezone: window.label,
                zones: window.zones,
                instant: instant
            )
            entries[window]?.lastView = view
            return view
        }
    }

    /// The schedule of `window` covering `instant` and `horizonDays` after it, made when the one
    /// kept does not; nil when a zone is unknown to the system.
    private static func schedule(
        for window: RowWindow,
        at instant: Date,
        in entries: inout [RowWindow: Entry]
    ) -> WindowSchedule? {
        let lookahead = Double(horizonDays - 1) * 86_400
        if let kept = entries[window]?.schedule, kept.start <= instant,
            instant.addingTimeInterval(lookahead) <= kept.end
        {
            return kept
        }
        let zones = window.zones.compactMap(TimeZone.init(identifier:))
        guard zones.count == window.zones.count else { return nil }
        let schedule = window.calling.schedule(
            in: zones,
            from: instant,
            until: instant.addingTimeInterval(Double(horizonDays) * 86_400)
        )
        entries[window] = Entry(schedule: schedule)
        return schedule
    }

    private static func decision(_ status: WindowStatus) -> WindowDecision {
        switch status {
        case .open(let opening): .open(opening)
        case .closed(let next): .closed(next: next)
        case .noOpening(let end): .noOpening(searchedUntil: end)
        }
    }

    /// `instant` as RFC 3339 on the clock of the first of `zones` (`2026-12-03T08:00:00-05:00`),
    /// in UTC when there is none.
    public static func localTimestamp(_ instant: Date, zones: [String]) -> String {
        let stamp = UTCTimestamp(instant)
        guard let name = zones.first, let zone = TimeZone(identifier: name) else { return stamp.rfc3339 }
        return stamp.rfc3339(offsetSeconds: Int64(zone.secondsFromGMT(for: instant)))
    }
}

/// A row's window at one instant as result lines show it: `window: {timezone, opensAt, closesAt}`
/// on planned lines, `opensAt` on skipped ones. Times are RFC 3339 on the clock of the row's
/// (first) zone.
public struct WindowView: Sendable, Hashable {
    public var decision: WindowDecision
    /// `America/New_York`, several joined by `,`, or `none`.
    public var timezone: String
    /// The opening the row is in, or the next one: when it opens and closes.
    public var opensAt: String?
    public var closesAt: String?
    /// The instant the view is of.
    var instant: Date?

    public init(decision: WindowDecision, timezone: String, opensAt: String? = nil, closesAt: String? = nil) {
        self.decision = decision
        self.timezone = timezone
        self.opensAt = opensAt
        self.closesAt = closesAt
    }

    init(decision: WindowDecision, timezone: String, zones: [String], instant: Date) {
        self.init(decision: decision, timezone: timezone)
        self.instant = instant
        let opening: WindowStatus.Opening? =
            switch decision {
            case .open(let opening), .closed(next: let opening): opening
            case .noOpening, .noTimeZone: nil
            }
        if let opening {
            opensAt = WindowJudge.localTimestamp(opening.opensAt, zones: zones)
            closesAt = opening.closesAt.map { WindowJudge.localTimestamp($0, zones: zones) }
        }
    }
}
