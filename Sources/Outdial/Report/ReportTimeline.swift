import Foundation

/// Starts and errors per time bucket (a minute, or wider when a job spans many hours), in UTC,
/// from the first bucket with an event to the last.
public struct ReportTimeline: Sendable, Equatable {
    /// One bucket: its start, the rows started in it and the rows whose last attempt failed in it.
    public struct Bucket: Sendable, Equatable {
        public var start: Date
        public var starts: Int
        public var errors: Int
    }

    /// The bucket widths tried, narrowest first, in minutes.
    static let widths = [1, 2, 5, 10, 15, 30, 60, 120, 360, 720, 1440]

    /// Buckets, consecutive, empty ones included.
    public private(set) var buckets: [Bucket] = []
    /// Minutes per bucket.
    public private(set) var minutes = 1
    /// Errors (`failed`, `uncertain`) whose line has no `at`, so they are not on the timeline.
    public internal(set) var untimedErrors = 0

    public init() {}

    /// Buckets the events, per minute unless that would give more than `maxBuckets`.
    /// - Parameters:
    ///   - starts: when each started row was sent.
    ///   - errors: when the last attempt of each failed or uncertain row was sent.
    init(starts: [Date], errors: [Date], maxBuckets: Int = 480) {
        let all = starts + errors
        guard let first = all.min(), let last = all.max() else { return }
        let span = Int(
            (last.timeIntervalSince1970 / 60).rounded(.down) - (first.timeIntervalSince1970 / 60).rounded(.down)
        )
        minutes = Self.widths.first(where: { span / $0 + 1 <= maxBuckets }) ?? Self.widths.last ?? 1
        let width = Double(minutes * 60)
        let origin = (first.timeIntervalSince1970 / width).rounded(.down) * width
        let count = Int(((last.timeIntervalSince1970 - origin) / width).rounded(.down)) + 1
        buckets = (0 ..< count).map {
            Bucket(start: Date(timeIntervalSince1970: origin + Double($0) * width), starts: 0, errors: 0)
        }
        func index(_ date: Date) -> Int {
            min(count - 1, max(0, Int(((date.timeIntervalSince1970 - origin) / width).rounded(.down))))
        }
        for date in starts { buckets[index(date)].starts += 1 }
        for date in errors { buckets[index(date)].errors += 1 }
    }

    /// The largest number of starts or errors in one bucket.
    public var peak: Int { buckets.map { max($0.starts, $0.errors) }.max() ?? 0 }
}
