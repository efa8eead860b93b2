import Dispatch
import OutdialBase

extension InterruptSignal {
    /// A signal triggered by the given process signals, each delivered through a dispatch source
    /// (their default action is ignored for the life of the process; install once per process).
    /// Kept only until the library runner handles signals itself.
    @available(*, deprecated, message: "the Outdial runner handles signals and calls trigger(name:)")
    public static func installing(signals: [Int32] = [SIGINT, SIGTERM]) -> InterruptSignal {
        let flag = InterruptSignal()
        for number in signals {
            signal(number, SIG_IGN)
            let name = number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.trigger(name: name) }
            source.resume()
            // The source lives as long as the process.
            _ = Unmanaged.passRetained(source as AnyObject)
        }
        return flag
    }
}
