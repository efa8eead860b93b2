import Foundation

/// Formats instants as RFC 3339 UTC with milliseconds (`2026-11-25T01:02:03.456Z`), without
/// the cost of a general date formatter.
public enum RFC3339Timestamp {
    /// The text for `date`.
    public static func string(from date: Date) -> String {
        string(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// The text for an instant given in milliseconds since 1970-01-01T00:00:00Z.
    public static func string(millisecondsSince1970 ms: Int64) -> String {
        let (days, msOfDay) = floorDivide(ms, 86_400_000)
        let (year, month, day) = civilDate(daysSince1970: days)
        let hour = Int(msOfDay / 3_600_000)
        let minute = Int(msOfDay / 60_000 % 60)
        let second = Int(msOfDay / 1000 % 60)
        let millisecond = Int(msOfDay % 1000)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(&bytes, year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        append(&bytes, month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        append(&bytes, day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        append(&bytes, hour, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(&bytes, minute, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(&bytes, second, width: 2)
        bytes.append(UInt8(ascii: "."))
        append(&bytes, millisecond, width: 3)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Days since the epoch to a proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970: Int64) -> (Int, Int, Int) {
        let z = daysSince1970 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func append(_ bytes: inout [UInt8], _ value: Int, width: Int) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = max(0, value)
        var index = width - 1
        while index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        bytes.append(contentsOf: digits)
    }
}
