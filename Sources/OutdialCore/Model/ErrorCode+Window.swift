// The codes of a job file's `window` and a row's `timezone` (calling-window.md).
extension ErrorCode {
    /// `window.hours` that is not `HH:MM-HH:MM` with real times of day.
    public static let invalidHours = "InvalidHours"
    /// A `window.days` entry that is not `mon` … `sun`.
    public static let invalidWeekday = "InvalidWeekday"
    /// A `window.exclude` entry that is not a `YYYY-MM-DD` date.
    public static let invalidDate = "InvalidDate"
    /// A time zone (`window.timezone`, `window.fallbackTimezone`, a row's `timezone`) that is not a
    /// known IANA name.
    public static let invalidTimeZone = "InvalidTimeZone"
    /// The warning for `window: off`: the job's rows are called at any hour.
    public static let windowOff = "WindowOff"
}

// The codes of rows the calling window keeps from being called.
extension ErrorCode {
    /// `skipped: outside-window`: the row's window is closed now (`opensAt` says when it opens).
    public static let outsideWindow = "OutsideWindow"
    /// `skipped: no-timezone`: no time zone could be found for the number.
    public static let noTimeZone = "NoTimeZone"
    /// `skipped: window-closed`: a retry would have gone out after the row's window closed.
    public static let windowClosed = "WindowClosed"
}
