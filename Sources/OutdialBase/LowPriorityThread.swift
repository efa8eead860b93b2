import Dispatch
import Foundation

/// Work that should only take the CPU the other threads leave idle: run on a thread of its own at
/// the lowest priority (nice 19), while the caller waits for it.
///
/// On Linux the nice value belongs to a thread, so the thread made here is the only one lowered;
/// it ends with the work, so no thread of a pool is left slow.
public enum LowPriorityThread {
    /// Runs `body` on a new thread at nice 19 and returns what it returned (or throws what it threw).
    public static func run<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let result = withoutActuallyEscaping(body) { body in
            let work = Work(body)
            let thread = Thread {
                #if os(Linux)
                    // who 0: the calling thread (Linux keeps a nice value per thread).
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
                #endif
                work.run()
            }
            thread.start()
            work.done.wait()
            return work.result
        }
        guard let result else { return try body() }
        return try result.get()
    }
}

/// One call of `LowPriorityThread.run`: the body, its result, and the signal that it is done.
/// Unchecked: the body is called once, on the new thread, while the caller only waits for `done`
/// and reads `result` after it (the semaphore orders the two).
private final class Work<T, E: Error>: @unchecked Sendable {
    /// Dropped as soon as it has run: the thread may outlive the call a little, the body must not.
    private var body: (() throws(E) -> T)?
    private(set) var result: Result<T, E>?
    let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () throws(E) -> T) {
        self.body = body
    }

    func run() {
        call()
        done.signal()
    }

    private func call() {
        guard let body = body.take() else { return }
        result = Result { () throws(E) in try body() }
    }
}
