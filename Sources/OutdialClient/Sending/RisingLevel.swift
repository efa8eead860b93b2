import Synchronization

/// A number that only goes up, with tasks waiting for it to reach a value: the primitive behind
/// ``InterruptSignal`` and the executor's stop signal. No polling: a waiter is a continuation,
/// resumed when the level is reached or its task is cancelled.
final class RisingLevel: Sendable {
    private struct Waiter {
        var id: UInt64
        var level: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var value = 0
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state = Mutex(State())
    /// `state.value`, for reads without the lock (every row reads it before every attempt).
    private let current = Atomic<Int>(0)

    init() {}

    /// The level now.
    var value: Int { current.load(ordering: .acquiring) }

    /// Raises the level to `level` (never lowers it) and wakes the waiters it satisfies.
    func raise(to level: Int) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard level > state.value else { return [] }
            state.value = level
            current.store(level, ordering: .releasing)
            let ready = state.waiters.filter { $0.level <= level }.map(\.continuation)
            state.waiters.removeAll { $0.level <= level }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    /// Adds one to the level and wakes the waiters it satisfies.
    /// - Returns: the new level.
    @discardableResult
    func increment() -> Int {
        let (level, ready) = state.withLock { state -> (Int, [CheckedContinuation<Void, Never>]) in
            state.value += 1
            let level = state.value
            current.store(level, ordering: .releasing)
            let ready = state.waiters.filter { $0.level <= level }.map(\.continuation)
            state.waiters.removeAll { $0.level <= level }
            return (level, ready)
        }
        for waiter in ready { waiter.resume() }
        return level
    }

    /// Returns once the level is at least `level`, or at once when the task is cancelled.
    func wait(until level: Int) async {
        let id = state.withLock { state -> UInt64? in
            if state.value >= level { return nil }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    // Under the lock: a cancellation handler that ran first found nothing to resume.
                    if state.value >= level || Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, level: level, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }
}
