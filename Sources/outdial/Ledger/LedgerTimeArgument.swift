import Foundation
import OutdialBase
import OutdialCore
import OutdialLedger

/// The times and durations the ledger commands take.
enum LedgerTimeArgument {
    /// `YYYY-MM-DD` (midnight, local time) or RFC 3339 (`2027-06-01T09:00:00Z`).
    static func date(_ text: String, calendar: Calendar = .current) -> UTCTimestamp? {
        if let time = UTCTimestamp(rfc3339: text) { return time }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return UTCTimestamp(date)
    }

    /// A duration before now (`7d`, `12h`), or a time as `date(_:)` reads it.
    static func since(_ text: String) -> LedgerTime? {
        if let seconds = ContactLimit.parseDuration(text) { return .ago(seconds: seconds) }
        return date(text).map { .at($0) }
    }
}
