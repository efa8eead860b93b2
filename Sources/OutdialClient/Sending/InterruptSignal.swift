import Dispatch
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
    private var sources: [any DispatchSourceSignal] = []

    /// A flag no signal raises (tests, embedding).
    public init() {}

    /// A flag raised by the given signals. Their default action is replaced for the life of
    /// the process.
    public static func installing(signals: [Int32] = [SIGINT, SIGTERM]) -> InterruptSignal {
        let flag = InterruptSignal()
        let queue = DispatchQueue(label: "outdial.signals")
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak flag] in
                guard let flag else { return }
                if flag.isRaised {
                    _exit(130)
                }
                flag.trigger(name: number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)")
            }
            source.resume()
            flag.sources.append(source)
        }
        return flag
    }

    /// Raises the flag.
    public func trigger(name: String = "interrupt") {
        lock.withLock {
            if !raised { signalName = name }
            raised = true
        }
    }

    /// Whether the flag is raised.
    public var isRaised: Bool { lock.withLock { raised } }

    /// The signal that raised it, if any.
    public var name: String? { lock.withLock { signalName } }
}
