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
