import OutdialCore
import Synchronization

/// Whether a run's rows may still start, in one place every waiting part of the executor races
/// against (the admission wait, the retry backoff): an abort (fatal answer, halt rule, journal
/// or output failure) or an interrupt stops new rows; a second interrupt stops everything now.
/// The deadline is a gate of its own (``DeadlineGate``).
final class StopSignal: Sendable {
    /// How far the run is stopped.
    enum Level: Int {
        case running = 0
        /// No new row or attempt starts.
        case stopStarting = 1
        /// Attempts in flight are cancelled.
        case stopNow = 2
    }

    private let level = RisingLevel()
    private let abortError = Mutex<RowError?>(nil)
    /// Whether `abortError` is set, for reads without the lock.
    private let aborted = Atomic<Bool>(false)
    /// Set by `outdial stop` (through the records): rows not started are `skipped: stopped`.
    private let stopRequest = Mutex<String?>(nil)
    private let stopped = Atomic<Bool>(false)
    private let interrupt: InterruptSignal

    init(interrupt: InterruptSignal) {
        self.interrupt = interrupt
        level.raise(to: min(interrupt.triggerCount, Level.stopNow.rawValue))
    }

    /// Stops the run for `error` (the first abort wins).
    func abort(_ error: RowError) {
        abortError.withLock { if $0 == nil { $0 = error } }
        aborted.store(true, ordering: .releasing)
        level.raise(to: Level.stopStarting.rawValue)
    }

    /// The abort, if the run was aborted.
    var abortReason: RowError? { abortError.withLock { $0 } }

    /// Stops starting rows because `outdial stop` asked (`reason` as it gave it).
    func requestStop(_ reason: String) {
        stopRequest.withLock { if $0 == nil { $0 = reason } }
        stopped.store(true, ordering: .releasing)
        level.raise(to: Level.stopStarting.rawValue)
    }

    /// What `outdial stop` said, when it stopped the run.
    var stopReason: String? { stopRequest.withLock { $0 } }

    /// Why no row may start now, or `nil` when rows may start. Reads the interrupt itself, so a
    /// trigger is seen at once by the next check; a cancelled task (the run's caller cancelled
    /// it) counts as interrupted.
    var reason: SkipReason? {
        if aborted.load(ordering: .acquiring) { return .halted }
        if stopped.load(ordering: .acquiring) { return .stopped }
        if interrupt.isRaised || Task.isCancelled { return .interrupted }
        return nil
    }

    /// Whether attempts in flight must stop now (a second interrupt, or the task was cancelled).
    var isStoppingNow: Bool { interrupt.isStopNow || Task.isCancelled }

    /// Follows the interrupt until it asks to stop now (or the task is cancelled), raising this
    /// signal's level as triggers come. Run as one child task of the run.
    func follow() async {
        await interrupt.wait(untilTriggered: 1)
        if Task.isCancelled { return }
        level.raise(to: Level.stopStarting.rawValue)
        await interrupt.wait(untilTriggered: 2)
        if Task.isCancelled { return }
        level.raise(to: Level.stopNow.rawValue)
    }

    /// Sleeps on `clock` until `deadline`, unless rows stop starting first.
    /// - Returns: whether the deadline was reached (`false`: stopped or cancelled).
    func sleep<C: Clock>(until deadline: C.Instant, on clock: C) async -> Bool {
        if reason != nil { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await clock.sleep(until: deadline, tolerance: nil)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                await self.level.wait(until: Level.stopStarting.rawValue)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
