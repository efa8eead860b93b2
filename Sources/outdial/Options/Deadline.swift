import Foundation
import OutdialBase

/// Parses `--deadline`: `HH:MM` in local time, or an RFC 3339 timestamp.
enum Deadline {
    /// - Returns: the moment after which no request may start.
    /// `HH:MM` means the most recent such moment when it passed less than 12 hours ago (a late cron
    /// run starts nothing), otherwise the next one (a run at 23:00 with `--deadline 01:00`).
    static func parse(_ text: String, now: Date = Date(), calendar: Calendar = .current) -> Date? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0 ... 23).contains(hour), (0 ... 59).contains(minute)
        {
            var components = calendar.dateComponents([.year, .month, .day], from: now)
            components.hour = hour
            components.minute = minute
            components.second = 0
            guard let today = calendar.date(from: components) else { return nil }
            if today < now, now.timeIntervalSince(today) >= 12 * 3600 {
                return calendar.date(byAdding: .day, value: 1, to: today)
            }
            return today
        }
        return UTCTimestamp(rfc3339: text)?.date
    }
}
