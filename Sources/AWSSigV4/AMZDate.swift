import OutdialBase

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `x-amz-date` form of a time, `yyyyMMdd'T'HHmmss'Z'` in UTC (see `UTCTimestamp.amzDate`).
public enum AMZDate {
    /// Formats `date` as `20261124T020000Z` (whole seconds, rounded down).
    public static func format(_ date: Date) -> String {
        UTCTimestamp(date).amzDate
    }

    /// Parses `20261124T020000Z`; `nil` unless the text has exactly that shape and a real date.
    public static func parse(_ text: String) -> Date? {
        UTCTimestamp(amzDate: text)?.date
    }
}
