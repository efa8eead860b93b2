import Foundation

/// A job's `window` (calling-window.md, "In the job file").
public enum WindowSetting: Sendable, Hashable {
    /// No `window` key: 08:00-21:00 every day, time zones from the number, no fallback.
    case standard
    /// `window: off`: rows are called at any hour (a warning is printed).
    case off
    /// A `window` map.
    case custom(JobWindow)

    /// The window this setting calls in; nil when it is off.
    public var jobWindow: JobWindow? {
        switch self {
        case .standard: JobWindow()
        case .off: nil
        case .custom(let window): window
        }
    }
}

/// Where a row's local time is taken from when the row names no `timezone` of its own.
public enum WindowTimeZone: Sendable, Hashable {
    /// From the destination number's prefix.
    case auto
    /// This IANA zone for every row.
    case named(String)
}

/// A job's calling window with the zone settings that go with it.
public struct JobWindow: Sendable, Hashable {
    /// Hours, days, excluded dates and margin.
    public var calling: CallingWindow
    /// `auto` or one IANA zone for every row.
    public var timeZone: WindowTimeZone
    /// The IANA zone used where `auto` cannot decide; nil when the row is then skipped.
    public var fallbackTimeZone: String?

    public init(calling: CallingWindow = .standard, timeZone: WindowTimeZone = .auto, fallbackTimeZone: String? = nil) {
        self.calling = calling
        self.timeZone = timeZone
        self.fallbackTimeZone = fallbackTimeZone
    }
}

/// Checks the IANA time zone names a job file gives (`window.timezone`, a row's `timezone`).
enum TimeZoneName {
    /// What a time zone value may be, for messages.
    static let allowed = "an IANA time zone name like America/New_York"

    /// The zones the system knows by name (abbreviations such as `EST` are not among them).
    static let known = TimeZone.knownTimeZoneIdentifiers

    /// IANA's names for universal time, which the system's list leaves out but the tz database has.
    private static let knownSet = Set(known).union(["UTC", "Etc/UTC", "Etc/GMT"])

    /// Whether `name` is a zone the system knows by its IANA name.
    static func isKnown(_ name: String) -> Bool {
        knownSet.contains(name) && TimeZone(identifier: name) != nil
    }

    /// `found "EST"; expected …; did you mean EST5EDT?`: why `name` is refused, with the known
    /// name nearest to it.
    static func refusal(of name: String, allowed: String = allowed) -> String {
        var message = "found \(quoted(name)); expected \(allowed)"
        let nearest = abbreviations[name.uppercased()] ?? FieldSuggestion.nearest(to: name, in: known)
        if let nearest { message += "; did you mean \(nearest)?" }
        return message
    }

    /// Abbreviations people write for a zone, and the IANA name to write instead (an
    /// abbreviation names no rules for daylight saving, so it is refused).
    static let abbreviations = [
        "EST": "America/New_York", "EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
        "MST": "America/Denver", "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
        "AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu", "UTC": "GMT",
        "BST": "Europe/London", "CET": "Europe/Paris", "CEST": "Europe/Paris",
    ]
}
