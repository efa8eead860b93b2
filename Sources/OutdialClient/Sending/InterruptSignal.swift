import Synchronization

/// Interrupts of a run (SIGINT, SIGTERM, or `trigger()` from an embedding program). Whoever
/// handles signals calls ``trigger(name:)`` once per signal received.
///
/// - The first trigger stops new rows from starting: rows in flight finish, the rest are
///   `skipped: interrupted`.
/// - A second trigger means "stop now": attempts in flight are cancelled, and their rows get
///   their lines at once (`uncertain` when a request may have left, `skipped: interrupted` when
///   nothing was sent), so every row still has its line when the run returns.
public final class InterruptSignal: Sendable {
    private let count = RisingLevel()
    private let firstName = Mutex<String?>(nil)

    /// A signal nothing has triggered yet.
    public init() {}

    /// Records one interrupt; `name` (e.g. `SIGINT`) is kept from the first.
    public func trigger(name: String = "interrupt") {
        firstName.withLock { if $0 == nil { $0 = name } }
        count.increment()
    }

    /// Whether any interrupt came: no new row may start.
    public var isRaised: Bool { count.value >= 1 }

    /// Whether a second interrupt came: attempts in flight are cancelled.
    public var isStopNow: Bool { count.value >= 2 }

    /// Interrupts received so far.
    public var triggerCount: Int { count.value }

    /// The name given by the first trigger, if any.
    public var name: String? { firstName.withLock { $0 } }

    /// Returns once the signal is raised.
    public func waitUntilRaised() async {
        await count.wait(until: 1)
    }

    /// Returns once `count` interrupts came, or at once when the task is cancelled.
    public func wait(untilTriggered count: Int) async {
        await self.count.wait(until: count)
    }
}
