import Foundation

/// Whether a call may start at one instant under a calling window, and when the window (the overlap
/// of the window in every zone of the number) opens and closes.
public enum WindowStatus: Sendable, Hashable {
    /// A call may start now, in `window`.
    case open(WindowStatus.Opening)
    /// No call may start now (the window is shut, or closes within the margin); `next` is the
    /// next opening in which one may.
    case closed(next: WindowStatus.Opening)
    /// No call may start now nor at any time before `searchedUntil`, the end of the search.
    case noOpening(searchedUntil: Date)

    /// One stretch of time in which the window is open in every zone.
    public struct Opening: Sendable, Hashable {
        /// When the stretch begins (for an open window found at the start of the search: no later
        /// than this).
        public var opensAt: Date
        /// When it ends (end exclusive); nil when it is still open at the end of the search.
        public var closesAt: Date?
        /// Calls must start before this instant: `closesAt` minus the margin; nil with `closesAt`.
        public var startsBefore: Date?

        public init(opensAt: Date, closesAt: Date?, startsBefore: Date?) {
            self.opensAt = opensAt
            self.closesAt = closesAt
            self.startsBefore = startsBefore
        }
    }

    /// A call may start now.
    public var mayStartCall: Bool {
        if case .open = self { return true }
        return false
    }

    /// When a closed window next lets a call start; nil when it is open or opens beyond the search.
    public var opensAt: Date? {
        if case .closed(let next) = self { return next.opensAt }
        return nil
    }

    /// When the open window closes; nil when it is closed or stays open past the search.
    public var closesAt: Date? {
        if case .open(let window) = self { return window.closesAt }
        return nil
    }
}
