import Foundation

/// The stretches of time, from `start` to `end`, in which a calling window is open in every one of
/// a number's zones (their overlap), with the margin before each close. Built once by
/// `CallingWindow.schedule(in:from:until:)`, asked about many instants.
public struct WindowSchedule: Sendable, Hashable {
    /// The first instant the schedule answers for.
    public let start: Date
    /// The end of the search: a stretch still open then is cut here and has no known close.
    public let end: Date
    /// Seconds before a close after which no call starts.
    let marginSeconds: Int64
    /// Open stretches in seconds since 1970: sorted, disjoint, not touching, cut at `end`.
    let spans: [Range<Int64>]

    init(start: Date, end: Date, marginSeconds: Int64, spans: [Range<Int64>]) {
        self.start = start
        self.end = end
        self.marginSeconds = marginSeconds
        self.spans = spans
    }

    /// The open stretches as instants (the last one ends at `end` when it is still open then).
    public var openIntervals: [Range<Date>] {
        spans.map {
            Date(timeIntervalSince1970: Double($0.lowerBound)) ..< Date(timeIntervalSince1970: Double($0.upperBound))
        }
    }

    /// Whether a call may start at `instant` (from `start` to `end`), and the opening it is in or
    /// the next one in which a call may start.
    ///
    /// A call may start when the instant is inside a stretch and more than the margin before its
    /// close; a stretch shorter than the margin lets no call start.
    public func status(at instant: Date) -> WindowStatus {
        let now = instant.timeIntervalSince1970
        let endSecond = Int64(end.timeIntervalSince1970.rounded(.down))
        var index = firstSpan(endingAfter: now)
        while index < spans.count {
            let span = spans[index]
            index += 1
            let isCut = span.upperBound >= endSecond
            let lastStart = span.upperBound - marginSeconds
            guard isCut || lastStart > span.lowerBound else { continue }
            let opening = WindowStatus.Opening(
                opensAt: Date(timeIntervalSince1970: Double(span.lowerBound)),
                closesAt: isCut ? nil : Date(timeIntervalSince1970: Double(span.upperBound)),
                startsBefore: isCut ? nil : Date(timeIntervalSince1970: Double(lastStart))
            )
            if Double(span.lowerBound) > now { return .closed(next: opening) }
            if isCut || now < Double(lastStart) { return .open(opening) }
        }
        return .noOpening(searchedUntil: end)
    }

    /// The index of the first span whose end is after `second` (binary search).
    private func firstSpan(endingAfter second: Double) -> Int {
        var low = 0
        var high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if Double(spans[middle].upperBound) > second { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
