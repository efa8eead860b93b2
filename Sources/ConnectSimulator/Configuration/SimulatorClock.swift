import Foundation
import Synchronization

/// Where the simulator reads the time: the system clock, or a manual clock a test moves forward.
///
/// Every time-dependent decision goes through it: signature skew, the rate quota and how long
/// simulated calls last.
public struct SimulatorClock: Sendable {
    private let read: @Sendable () -> Date

    /// A clock that reads `now()`.
    public init(now: @escaping @Sendable () -> Date) {
        self.read = now
    }

    /// The current time.
    public func now() -> Date { read() }

    /// The system clock.
    public static let system = SimulatorClock(now: { Date() })

    /// A clock that shows `clock`'s time.
    public static func manual(_ clock: ManualClock) -> SimulatorClock {
        SimulatorClock(now: { clock.now })
    }
}

/// A clock that stands still until told to move, for tests.
public final class ManualClock: Sendable {
    private let time: Mutex<Date>

    /// Creates a clock showing `start`.
    public init(_ start: Date = Date()) {
        self.time = Mutex(start)
    }

    /// The time it shows.
    public var now: Date {
        time.withLock { $0 }
    }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        time.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
