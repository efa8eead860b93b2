import OutdialBase

/// A calendar date with no time zone (`2026-12-25`): a day as the called person's clock counts it.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    let dayNumber: Int64

    /// The date `year-month-day`; nil when it does not exist (`2026-02-29`).
    public init?(year: Int, month: Int, day: Int) {
        let components = UTCTimestamp.Components(year: Int64(year), month: Int64(month), day: Int64(day))
        guard let midnight = UTCTimestamp(components) else { return nil }
        self.dayNumber = midnight.secondsSince1970 / 86_400
    }

    /// A date written `YYYY-MM-DD`, as a job file writes it; nil for any other text.
    public init?(iso text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0 ..< 4), let month = number(5 ..< 7), let day = number(8 ..< 10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    init(dayNumber: Int64) {
        self.dayNumber = dayNumber
    }

    private var components: UTCTimestamp.Components {
        UTCTimestamp(secondsSince1970: dayNumber * 86_400).components
    }

    public var year: Int { Int(components.year) }
    /// 1 to 12.
    public var month: Int { Int(components.month) }
    /// 1 to 31.
    public var day: Int { Int(components.day) }
    public var weekday: Weekday { Weekday(dayNumber: dayNumber) }

    /// `2026-12-25`.
    public var description: String {
        String(UTCTimestamp(secondsSince1970: dayNumber * 86_400).rfc3339.prefix(10))
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.dayNumber < rhs.dayNumber }
}
