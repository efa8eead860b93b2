import Foundation
import OutdialCore

/// Whether rows may still start, shared by the executor's parent task and its row tasks: an
/// abort (fatal answer, halt rule, journal failure), an interrupt, or the deadline.
final class StopState: @unchecked Sendable {
    private let lock = NSLock()
    private var abortError: RowError?
    private let deadline: Date?
    private let interrupt: InterruptSignal

    init(deadline: Date?, interrupt: InterruptSignal) {
        self.deadline = deadline
        self.interrupt = interrupt
    }

    /// Stops the run for `error` (the first abort wins).
    func abort(_ error: RowError) {
        lock.withLock {
            if abortError == nil { abortError = error }
        }
    }

    var abortReason: RowError? { lock.withLock { abortError } }

    /// Why no row may start now, or `nil` when rows may start.
    func reason(now: Date = Date()) -> SkipReason? {
        if abortReason != nil { return .halted }
        if interrupt.isRaised { return .interrupted }
        if let deadline, now >= deadline { return .deadline }
        return nil
    }
}
