/// The calling window one row is held to, with the time zones it is judged in (calling-window.md,
/// "Which time zone"). A row of a job with `window: off` has none.
public struct RowWindow: Sendable, Hashable {
    /// The job's hours, days, excluded dates and margin.
    public var calling: CallingWindow
    /// The IANA names of the called person's zones: one, several (the window must be open in every
    /// one), or none when no zone could be found (the row is then skipped with `no-timezone`).
    public var zones: [String]

    public init(calling: CallingWindow = .standard, zones: [String]) {
        self.calling = calling
        self.zones = zones
    }

    /// Hashes the zones, hours and margin only. The rows of a run mostly share one calling window,
    /// whose days and excluded dates are sets (costly to hash: each element apart); equal windows
    /// still hash equally, and `==` compares the whole.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(zones)
        hasher.combine(calling.hours)
        hasher.combine(calling.marginMinutes)
    }

    /// The window of a row calling `destination` under `job`.
    ///
    /// The zone is the row's own `timezone`, else the window's IANA `timezone`, else (`auto`) the
    /// zones of the number's longest known prefix, else the window's `fallbackTimezone`, else none.
    /// - Parameters:
    ///   - destination: the normalised E.164 number.
    ///   - rowTimeZone: the row's `timezone` option (already checked to be a known name).
    public init(destination: String, rowTimeZone: String?, job: JobWindow) {
        self.calling = job.calling
        if let rowTimeZone {
            zones = [rowTimeZone]
            return
        }
        if case .named(let name) = job.timeZone {
            zones = [name]
            return
        }
        let found = PrefixTimeZones.zones(for: destination)
        if !found.isEmpty {
            zones = found
        } else if let fallback = job.fallbackTimeZone {
            zones = [fallback]
        } else {
            zones = []
        }
    }

    /// The zones a `label` names (`none`: none; several joined by `,`), as results files carry them.
    public static func zones(label: String) -> [String] {
        label == "none" ? [] : label.split(separator: ",").map(String.init)
    }

    /// How the zones are named in results and summaries: `America/New_York`, or several joined by
    /// `,` (`America/Adak,America/Anchorage`); `none` when there is none.
    public var label: String {
        switch zones.count {
        case 0: "none"
        case 1: zones[0]
        default: zones.joined(separator: ",")
        }
    }
}

extension WindowSetting {
    /// The window of a row calling `destination` under this setting; nil when the window is off.
    public func rowWindow(destination: String, rowTimeZone: String?) -> RowWindow? {
        jobWindow.map { RowWindow(destination: destination, rowTimeZone: rowTimeZone, job: $0) }
    }
}
