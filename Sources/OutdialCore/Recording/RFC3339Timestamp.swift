import Foundation
import OutdialBase

/// Formats instants as RFC 3339 UTC with milliseconds (`2026-11-25T01:02:03.456Z`); see
/// `UTCTimestamp.rfc3339`.
public enum RFC3339Timestamp {
    /// The text for `date`.
    public static func string(from date: Date) -> String {
        UTCTimestamp(date).rfc3339
    }

    /// The text for an instant given in milliseconds since 1970-01-01T00:00:00Z.
    public static func string(millisecondsSince1970 ms: Int64) -> String {
        UTCTimestamp(millisecondsSince1970: ms).rfc3339
    }

    /// The instant of an RFC 3339 text (`2026-11-25T20:30:00Z`, with or without a fraction or an
    /// offset), or nil.
    public static func date(from text: String) -> Date? {
        UTCTimestamp(rfc3339: text)?.date
    }
}
