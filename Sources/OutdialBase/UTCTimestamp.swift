#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An instant in UTC to the millisecond, with the calendar arithmetic done once for every module:
/// the signer's `x-amz-date` (`20261124T020000Z`), the records' RFC 3339 times
/// (`2026-11-25T20:30:00.123Z`) and parsing RFC 3339 text (`--deadline`, journals, results).
///
/// Formatting and parsing use no date formatter (cheap enough for a server's hot path). Dates are
/// proleptic Gregorian, so every instant has exactly one text and every text at most one instant.
public struct UTCTimestamp: Sendable, Hashable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00Z (negative before).
    public var millisecondsSince1970: Int64

    /// The instant `millisecondsSince1970` ms after the epoch.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// The instant `secondsSince1970` whole seconds after the epoch.
    public init(secondsSince1970: Int64) {
        self.millisecondsSince1970 =
            secondsSince1970.multipliedReportingOverflow(by: 1000).overflow
            ? (secondsSince1970 < 0 ? .min : .max) : secondsSince1970 * 1000
    }

    /// `date` to the millisecond, rounded down. The date is first taken to the nearest microsecond,
    /// so that a time written with milliseconds (`…:03.456`) never reads back one millisecond early
    /// through the binary fraction of a `Double`.
    public init(_ date: Date) {
        let microseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let limit = 9.2e18
        let clamped = microseconds.isNaN ? 0 : Swift.min(Swift.max(microseconds, -limit), limit)
        self.millisecondsSince1970 = Self.floorDivide(Int64(clamped), 1000).quotient
    }

    /// The instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000)
    }

    /// Whole seconds since the epoch, rounded down.
    public var secondsSince1970: Int64 {
        Self.floorDivide(millisecondsSince1970, 1000).quotient
    }

    public static func < (lhs: UTCTimestamp, rhs: UTCTimestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    // MARK: Calendar

    /// A civil date and time of day in UTC.
    public struct Components: Sendable, Hashable {
        public var year: Int64
        /// 1 to 12.
        public var month: Int64
        /// 1 to 31.
        public var day: Int64
        /// 0 to 23.
        public var hour: Int64
        /// 0 to 59.
        public var minute: Int64
        /// 0 to 59.
        public var second: Int64
        /// 0 to 999.
        public var millisecond: Int64

        public init(
            year: Int64,
            month: Int64,
            day: Int64,
            hour: Int64 = 0,
            minute: Int64 = 0,
            second: Int64 = 0,
            millisecond: Int64 = 0
        ) {
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
            self.millisecond = millisecond
        }
    }

    /// The instant's date and time of day in UTC.
    public var components: Components {
        let (days, msOfDay) = Self.floorDivide(millisecondsSince1970, 86_400_000)
        let (year, month, day) = Self.civil(fromDays: days)
        return Components(
            year: year,
            month: month,
            day: day,
            hour: msOfDay / 3_600_000,
            minute: msOfDay / 60_000 % 60,
            second: msOfDay / 1000 % 60,
            millisecond: msOfDay % 1000
        )
    }

    /// The instant of `components`; `nil` when a part is out of range or the day does not exist
    /// (`2026-02-29`).
    public init?(_ components: Components) {
        let c = components
        guard (1 ... 12).contains(c.month), (1 ... 31).contains(c.day), (0 ... 23).contains(c.hour),
            (0 ... 59).contains(c.minute), (0 ... 59).contains(c.second), (0 ... 999).contains(c.millisecond),
            (-1_000_000 ... 1_000_000).contains(c.year)
        else { return nil }
        let days = Self.days(fromCivil: c.year, c.month, c.day)
        let (year, month, day) = Self.civil(fromDays: days)
        guard year == c.year, month == c.month, day == c.day else { return nil }
        self.init(
            millisecondsSince1970: days * 86_400_000 + c.hour * 3_600_000 + c.minute * 60_000 + c.second * 1000
                + c.millisecond
        )
    }

    // MARK: Formats

    /// `yyyyMMdd'T'HHmmss'Z'`, the form of `x-amz-date` (whole seconds, rounded down):
    /// `20261124T020000Z`.
    public var amzDate: String { formatted(extended: false) }

    /// RFC 3339 in UTC with milliseconds: `2026-11-25T20:30:00.123Z`.
    public var rfc3339: String { formatted(extended: true) }

    /// RFC 3339 in whole seconds on a local clock `offsetSeconds` ahead of UTC (behind when
    /// negative), with that offset: `2026-12-03T08:00:00-05:00`. The instant is the same; only the
    /// clock it is read on changes (the milliseconds are dropped).
    public func rfc3339(offsetSeconds offset: Int64) -> String {
        let c = UTCTimestamp(secondsSince1970: secondsSince1970 + offset).components
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        let parts: [(Int64, Int, separator: Unicode.Scalar)] = [
            (c.year, 4, "-"), (c.month, 2, "-"), (c.day, 2, "T"), (c.hour, 2, ":"), (c.minute, 2, ":"),
        ]
        for (value, digits, separator) in parts {
            Self.append(value, digits: digits, to: &bytes)
            bytes.append(UInt8(ascii: separator))
        }
        Self.append(c.second, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: offset < 0 ? "-" : "+"))
        let minutes = abs(offset) / 60
        Self.append(minutes / 60, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.append(minutes % 60, digits: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The basic ISO 8601 form (no separators, whole seconds) or the extended one (`-`, `:` and
    /// milliseconds).
    private func formatted(extended: Bool) -> String {
        let c = components
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        Self.append(c.year, digits: 4, to: &bytes)
        if extended { bytes.append(UInt8(ascii: "-")) }
        Self.append(c.month, digits: 2, to: &bytes)
        if extended { bytes.append(UInt8(ascii: "-")) }
        Self.append(c.day, digits: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        Self.append(c.hour, digits: 2, to: &bytes)
        if extended { bytes.append(UInt8(ascii: ":")) }
        Self.append(c.minute, digits: 2, to: &bytes)
        if extended { bytes.append(UInt8(ascii: ":")) }
        Self.append(c.second, digits: 2, to: &bytes)
        if extended {
            bytes.append(UInt8(ascii: "."))
            Self.append(c.millisecond, digits: 3, to: &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `20261124T020000Z`; `nil` unless the text has exactly that shape and a real date.
    public init?(amzDate text: String) {
        var scanner = Scanner(text)
        guard let year = scanner.digits(4), let month = scanner.digits(2), let day = scanner.digits(2),
            scanner.take("T"), let hour = scanner.digits(2), let minute = scanner.digits(2),
            let second = scanner.digits(2), scanner.take("Z"), scanner.atEnd
        else { return nil }
        self.init(Components(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }

    /// Parses an RFC 3339 date-time: `2026-11-25T20:30:00Z`, `2026-11-25T20:30:00.123Z`,
    /// `2026-11-25T21:30:00+01:00`. `T` and `Z` may be lower case; a fraction of any length is
    /// cut to milliseconds. `nil` for any other shape, a day that does not exist, or a leap second.
    public init?(rfc3339 text: String) {
        var scanner = Scanner(text)
        guard let year = scanner.digits(4), scanner.take("-"), let month = scanner.digits(2), scanner.take("-"),
            let day = scanner.digits(2), scanner.take("T") || scanner.take("t"), let hour = scanner.digits(2),
            scanner.take(":"), let minute = scanner.digits(2), scanner.take(":"), let second = scanner.digits(2)
        else { return nil }
        var millisecond: Int64 = 0
        if scanner.take(".") {
            var count = 0
            while let digit = scanner.digits(1) {
                if count < 3 { millisecond = millisecond * 10 + digit }
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in min(count, 3) ..< 3 { millisecond *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if scanner.take("Z") || scanner.take("z") {
            offsetMinutes = 0
        } else {
            let sign: Int64
            if scanner.take("+") {
                sign = 1
            } else if scanner.take("-") {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHour = scanner.digits(2), scanner.take(":"), let offsetMinute = scanner.digits(2),
                offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
        }
        guard scanner.atEnd,
            let local = UTCTimestamp(
                Components(
                    year: year,
                    month: month,
                    day: day,
                    hour: hour,
                    minute: minute,
                    second: second,
                    millisecond: millisecond
                )
            )
        else { return nil }
        self.init(millisecondsSince1970: local.millisecondsSince1970 - offsetMinutes * 60_000)
    }

    // MARK: Arithmetic

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Appends `value` with at least `digits` digits (a year before 0 gets a `-`).
    private static func append(_ value: Int64, digits: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let rest = value.magnitude
        // The digits the value has, at least `digits` (zeros in front), written from the last one.
        var count = 1
        var power: UInt64 = 10
        while count < 20, rest >= power {
            count += 1
            power = power.multipliedReportingOverflow(by: 10).partialValue
        }
        count = max(count, digits)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var remaining = rest
        var index = start + count - 1
        while remaining > 0, index >= start {
            bytes[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
            index -= 1
        }
    }

    /// Reads fixed-width fields from ASCII text.
    private struct Scanner {
        private let bytes: [UInt8]
        private var index = 0

        init(_ text: String) { bytes = Array(text.utf8) }

        var atEnd: Bool { index == bytes.count }

        /// The number in the next `count` bytes, if they are all digits.
        mutating func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index ..< index + count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// Consumes `character` when it comes next.
        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }
    }
}
