/// A job's `window` (calling-window.md, "In the job file"). Each planned row carries its window, so
/// rows wait for this key like they wait for `dedupe` (see `JobFileVisitor`).
extension JobHeader {
    static let windowFields = ["hours", "days", "timezone", "fallbackTimezone", "exclude", "marginMinutes"]

    static let allowedHours =
        "local hours HH:MM-HH:MM like \"08:00-21:00\" (end exclusive; \"21:00-08:00\" runs past midnight)"
    static let allowedDays = "a non-empty list of mon, tue, wed, thu, fri, sat, sun"
    static let allowedMargin = "an integer from 0 to 120"
    static let allowedMarginMinutes = 0 ... 120

    /// The warning `window: off` gives wherever the job is validated, planned or run.
    static let windowOffWarning =
        "off — this job's rows are called at any hour of the called person's day and night"

    /// `window: off`, or a map of `hours`, `days`, `timezone`, `fallbackTimezone`, `exclude` and
    /// `marginMinutes`; keys left out take the defaults.
    ///
    /// The word `off` counts quoted too: `window` never takes text, and JSON has no unquoted words.
    mutating func applyWindow(_ node: Node) {
        if node.scalarText == "off" {
            window = .off
            warn(ErrorCode.windowOff, "window", Self.windowOffWarning, node.mark)
            return
        }
        guard case .mapping(let entries) = node.value else {
            report(
                ErrorCode.invalidType,
                "window",
                "found \(Self.found(node)); expected off or a map like {hours: \"08:00-21:00\", timezone: auto}",
                node.mark
            )
            return
        }
        var result = JobWindow()
        var firstMarks: [String: SourceMark] = [:]
        var valid = true
        for entry in entries {
            let path = "window." + entry.key
            guard acceptKey(entry, path: path, known: Self.windowFields, firstMarks: &firstMarks) else {
                valid = false
                continue
            }
            valid = applyWindowField(entry.key, entry.value, path: path, to: &result) && valid
        }
        if valid { window = .custom(result) }
    }

    /// One field of `window` into `result`; false after reporting what is wrong with it.
    private mutating func applyWindowField(_ key: String, _ node: Node, path: String, to result: inout JobWindow)
        -> Bool
    {
        switch key {
        case "hours":
            guard let text = windowText(node), let hours = Self.hours(text) else {
                report(
                    ErrorCode.invalidHours,
                    path,
                    "found \(Self.found(node)); expected \(Self.allowedHours)",
                    node.mark
                )
                return false
            }
            result.calling.hours = hours
        case "days":
            guard let days = weekdays(node, path: path) else { return false }
            result.calling.days = days
        case "timezone":
            if windowText(node) == "auto" {
                result.timeZone = .auto
                return true
            }
            guard let name = timeZoneName(node, path: path, allowed: "auto or \(TimeZoneName.allowed)") else {
                return false
            }
            result.timeZone = .named(name)
        case "fallbackTimezone":
            guard let name = timeZoneName(node, path: path, allowed: TimeZoneName.allowed) else { return false }
            result.fallbackTimeZone = name
        case "exclude":
            guard let dates = excludedDates(node, path: path) else { return false }
            result.calling.excludedDates = dates
        default:  // marginMinutes
            guard case .scalar(let text, .plain) = node.value, !node.isNull, let minutes = Self.integer(text),
                Self.allowedMarginMinutes.contains(minutes)
            else {
                let code = Self.integer(node.scalarText ?? "") == nil ? ErrorCode.invalidType : ErrorCode.outOfRange
                report(code, path, "found \(Self.found(node)); expected \(Self.allowedMargin)", node.mark)
                return false
            }
            result.calling.marginMinutes = minutes
        }
        return true
    }

    /// A scalar's text, quoted or not; nil for null, a map or a list.
    private func windowText(_ node: Node) -> String? {
        node.isNull ? nil : node.scalarText
    }

    /// A known IANA zone name, or nil after reporting what is wrong with it (with the nearest
    /// known name when the text is a name at all).
    mutating func timeZoneName(_ node: Node, path: String, allowed: String) -> String? {
        guard let name = windowText(node) else {
            report(ErrorCode.invalidType, path, "found \(Self.found(node)); expected \(allowed)", node.mark)
            return nil
        }
        guard TimeZoneName.isKnown(name) else {
            report(
                ErrorCode.invalidTimeZone,
                path,
                TimeZoneName.refusal(of: name, allowed: allowed),
                node.mark
            )
            return nil
        }
        return name
    }

    /// `days`: a non-empty list of weekday abbreviations.
    private mutating func weekdays(_ node: Node, path: String) -> Set<Weekday>? {
        guard case .sequence(let items) = node.value, !items.isEmpty else {
            let found = node.isEmptySequence ? "an empty list" : Self.found(node)
            report(ErrorCode.invalidType, path, "found \(found); expected \(Self.allowedDays)", node.mark)
            return nil
        }
        var days: Set<Weekday> = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard let text = windowText(item), let day = Weekday(abbreviation: text) else {
                var message = "found \(Self.found(item)); expected one of mon, tue, wed, thu, fri, sat, sun"
                if let text = windowText(item),
                    let nearest = FieldSuggestion.nearest(to: text, in: Weekday.allCases.map(\.abbreviation))
                {
                    message += "; did you mean \(nearest)?"
                }
                report(ErrorCode.invalidWeekday, "\(path)[\(index)]", message, item.mark)
                valid = false
                continue
            }
            days.insert(day)
        }
        return valid ? days : nil
    }

    /// `exclude`: a list (possibly empty) of `YYYY-MM-DD` dates.
    private mutating func excludedDates(_ node: Node, path: String) -> Set<LocalDate>? {
        guard case .sequence(let items) = node.value else {
            report(
                ErrorCode.invalidType,
                path,
                "found \(Self.found(node)); expected a list of dates like [2026-12-25]",
                node.mark
            )
            return nil
        }
        var dates: Set<LocalDate> = []
        var valid = true
        for (index, item) in items.enumerated() {
            guard let text = windowText(item), let date = LocalDate(iso: text) else {
                report(
                    ErrorCode.invalidDate,
                    "\(path)[\(index)]",
                    "found \(Self.found(item)); expected a date YYYY-MM-DD like 2026-12-25",
                    item.mark
                )
                valid = false
                continue
            }
            dates.insert(date)
        }
        return valid ? dates : nil
    }

    /// `HH:MM-HH:MM` with hours 00-23 and minutes 00-59; nil for any other text.
    static func hours(_ text: String) -> CallingWindow.Hours? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = minuteOfDay(parts[0]), let end = minuteOfDay(parts[1]) else { return nil }
        return CallingWindow.Hours(startMinute: start, endMinute: end)
    }

    /// `HH:MM` as minutes after midnight; nil unless two digits, a colon and two digits of a real time.
    private static func minuteOfDay(_ text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        guard let hour = integer(String(text.prefix(2))), let minute = integer(String(text.suffix(2))),
            hour < 24, minute < 60
        else { return nil }
        return hour * 60 + minute
    }
}
