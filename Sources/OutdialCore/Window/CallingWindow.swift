import Foundation

/// The hours, days and dates at which a called person may be called, in their own local time
/// (calling-window.md), and the arithmetic that turns them into instants.
///
/// - Hours are local clock times, end exclusive. An end at or before the start runs into the next
///   day (`21:00-08:00`); an end equal to the start is 24 hours. A window belongs to the day it
///   opens on: `days` is checked against that day (with `days: [fri]`, `21:00-08:00` runs from
///   Friday 21:00 to Saturday 08:00).
/// - An excluded date is a whole local calendar day with no call at all, whichever day the
///   window opened on.
/// - Local times come from the zone's rules: a time the clock shows twice counts from its first
///   occurrence, and a time it skips from the instant of the jump (`TimeZone.firstInstant`).
/// - A number with several zones may be called only when the window is open in every one (the
///   overlap); no call starts within `marginMinutes` of the overlap's close.
public struct CallingWindow: Sendable, Hashable {
    /// The local clock times of a window, in minutes after midnight.
    public struct Hours: Sendable, Hashable, CustomStringConvertible {
        /// 0 to 1439: the first minute of the window.
        public let startMinute: Int
        /// 0 to 1439: the first minute after the window (on the next day when not after the start).
        public let endMinute: Int

        /// The hours `startMinute` to `endMinute`; nil when either is not a minute of a day.
        public init?(startMinute: Int, endMinute: Int) {
            guard Hours.minutesOfDay.contains(startMinute), Hours.minutesOfDay.contains(endMinute) else { return nil }
            self.startMinute = startMinute
            self.endMinute = endMinute
        }

        private init(checkedStart: Int, end: Int) {
            self.startMinute = checkedStart
            self.endMinute = end
        }

        /// The minutes a time of day may be: 0 (00:00) to 1439 (23:59).
        public static let minutesOfDay = 0 ... 1439

        /// 08:00-21:00, the US federal rule (47 CFR 64.1200(c)(1)).
        public static let standard = Hours(checkedStart: 8 * 60, end: 21 * 60)

        /// The window runs past midnight into the next day.
        public var crossesMidnight: Bool { endMinute <= startMinute }

        /// `08:00-21:00`.
        public var description: String {
            func clock(_ minute: Int) -> String {
                let hour = minute / 60
                let rest = minute % 60
                return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
            }
            return "\(clock(startMinute))-\(clock(endMinute))"
        }
    }

    /// Local hours in which calls may start; default 08:00-21:00.
    public var hours: Hours
    /// The days on which a window opens; default every day.
    public var days: Set<Weekday>
    /// Local dates on which nobody is called; default none.
    public var excludedDates: Set<LocalDate>
    /// No call starts this many minutes or less before a window closes; default 1.
    public var marginMinutes: Int

    public init(
        hours: Hours = .standard,
        days: Set<Weekday> = Set(Weekday.allCases),
        excludedDates: Set<LocalDate> = [],
        marginMinutes: Int = 1
    ) {
        self.hours = hours
        self.days = days
        self.excludedDates = excludedDates
        self.marginMinutes = marginMinutes
    }

    /// The window when a job file sets none: 08:00-21:00 every day, a 1-minute margin.
    public static let standard = CallingWindow()

    /// How far ahead `status(at:in:)` looks for the next opening, in days.
    public static let defaultSearchDays = 14

    /// Whether a call to a number in `zones` may start at `instant`, and when the window opens or
    /// closes.
    ///
    /// - Parameters:
    ///   - instant: the moment asked about (read from the clock by the caller).
    ///   - zones: the number's zones; the window must be open in all of them. An empty list is
    ///     never open (a number with no zone must be settled before asking).
    ///   - searchDays: how many days after `instant` to look for an opening.
    /// - Returns: open (with the close and the last start), closed (with the next opening), or
    ///   no opening within `searchDays`.
    public func status(at instant: Date, in zones: [TimeZone], searchDays: Int = defaultSearchDays) -> WindowStatus {
        let end = instant.addingTimeInterval(Double(max(0, searchDays)) * 86_400)
        // Most answers lie within a day or two: look there first, and further only when needed.
        let near = min(end, instant.addingTimeInterval(2 * 86_400))
        if near < end {
            let status = schedule(in: zones, from: instant, until: near).status(at: instant)
            switch status {
            case .open(let opening) where opening.closesAt != nil: return status
            case .closed(let next) where next.closesAt != nil: return status
            default: break
            }
        }
        return schedule(in: zones, from: instant, until: end).status(at: instant)
    }

    /// The stretches from `start` to `end` in which the window is open in every zone of `zones`,
    /// for asking about many instants in that time.
    public func schedule(in zones: [TimeZone], from start: Date, until end: Date) -> WindowSchedule {
        let startSecond = Int64(start.timeIntervalSince1970.rounded(.down))
        let endSecond = max(startSecond, Int64(end.timeIntervalSince1970.rounded(.down)))
        var overlap: [Range<Int64>]? = nil
        for zone in zones {
            let spans = openSpans(in: zone, from: startSecond, until: endSecond)
            overlap = overlap.map { Self.intersection($0, spans) } ?? spans
        }
        return WindowSchedule(
            start: start,
            end: Date(timeIntervalSince1970: Double(endSecond)),
            marginSeconds: Int64(max(0, marginMinutes)) * 60,
            spans: overlap ?? []
        )
    }

    /// The window's stretches in one zone, merged and cut at `end`: every window that opens from
    /// the local day before `start` (it may still be open at `start`) to the day of `end`, less
    /// the excluded days.
    private func openSpans(in zone: TimeZone, from start: Int64, until end: Int64) -> [Range<Int64>] {
        let firstDay = zone.localDay(atSecond: start) - 1
        let lastDay = zone.localDay(atSecond: end)
        guard firstDay <= lastDay else { return [] }
        let excluded = Set(excludedDates.map(\.dayNumber).filter { (firstDay ... lastDay + 1).contains($0) })
        var spans: [Range<Int64>] = []
        for day in firstDay ... lastDay where days.contains(Weekday(dayNumber: day)) {
            let opens = zone.firstInstant(day: day, minute: hours.startMinute)
            let closes = zone.firstInstant(day: hours.crossesMidnight ? day + 1 : day, minute: hours.endMinute)
            guard opens < closes, opens < end else { continue }
            if let last = spans.last, last.upperBound >= opens {
                spans[spans.count - 1] = last.lowerBound ..< max(last.upperBound, closes)
            } else {
                spans.append(opens ..< closes)
            }
        }
        let cuts = excluded.sorted().map { day in
            zone.firstInstant(day: day, minute: 0) ..< zone.firstInstant(day: day + 1, minute: 0)
        }
        return Self.subtracting(cuts, from: spans).compactMap { span in
            span.lowerBound < end ? span.lowerBound ..< min(span.upperBound, end) : nil
        }
    }

    /// The stretches in both sorted, disjoint lists.
    static func intersection(_ a: [Range<Int64>], _ b: [Range<Int64>]) -> [Range<Int64>] {
        var result: [Range<Int64>] = []
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            let lower = max(a[i].lowerBound, b[j].lowerBound)
            let upper = min(a[i].upperBound, b[j].upperBound)
            if lower < upper { result.append(lower ..< upper) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return result
    }

    /// `spans` without the parts inside any of `cuts` (both sorted and disjoint).
    static func subtracting(_ cuts: [Range<Int64>], from spans: [Range<Int64>]) -> [Range<Int64>] {
        guard !cuts.isEmpty else { return spans }
        var result: [Range<Int64>] = []
        for span in spans {
            var lower = span.lowerBound
            for cut in cuts where cut.upperBound > lower && cut.lowerBound < span.upperBound {
                if cut.lowerBound > lower { result.append(lower ..< cut.lowerBound) }
                lower = max(lower, cut.upperBound)
            }
            if lower < span.upperBound { result.append(lower ..< span.upperBound) }
        }
        return result
    }
}
