import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A flag raised by SIGINT/SIGTERM (or `trigger()`), polled by the executor: once raised, no new
/// row starts, rows in flight finish, and the rest are `skipped: interrupted`. A second signal
/// ends the process at once (exit 130).
public final class InterruptSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var signalName: String?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A flag no signal raises (tests, embedding).
    public init() {}

    /// A flag raised by the given signals. Their default action is replaced for the life of
    /// the process; install once per process.
    ///
    /// The handler only writes the signal number to a pipe (async-signal-safe); a thread reading
    /// the pipe raises the flag, or ends the process (exit 130) on a second signal.
    public static func installing(signals: [Int32] = [SIGINT, SIGTERM]) -> InterruptSignal {
        let flag = InterruptSignal()
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return flag }
        let readEnd = fds[0]
        signalPipeWriteEnd = fds[1]
        let reader = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return }
                if flag.isRaised { _exit(130) }
                let number = Int32(byte)
                flag.trigger(
                    name: number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
                )
            }
        }
        reader.name = "outdial.signals"
        reader.start()
        for number in signals {
            signal(number, forwardSignal)
        }
        return flag
    }

    /// Raises the flag.
    public func trigger(name: String = "interrupt") {
        let woken = lock.withLock {
            if !raised { signalName = name }
            raised = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the flag is raised.
    public func waitUntilRaised() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock {
                if raised { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Whether the flag is raised.
    public var isRaised: Bool { lock.withLock { raised } }

    /// The signal that raised it, if any.
    public var name: String? { lock.withLock { signalName } }
}

/// The pipe the signal handler writes to (set once, before any handler is installed).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

private func forwardSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipeWriteEnd, &byte, 1)
}
