import OutdialClient
import UnixSignals

/// SIGINT and SIGTERM, while `body` runs, raise `interrupt` (each signal calls `trigger(name:)`:
/// the first stops starting rows, a second stops at once, and every row still gets its line).
/// Their default action (ending the process) is replaced only for that time.
enum SignalForwarding {
    /// - Parameter messages: where each signal is told, with what it does, for the operator
    ///   (written at once, not gathered).
    static func forwarding<Value: Sendable>(
        to interrupt: InterruptSignal,
        enabled: Bool,
        messages: MessageLog,
        _ body: () async -> Value
    ) async -> Value {
        guard enabled else { return await body() }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return await withTaskGroup(of: Void.self, returning: Value.self) { group in
            group.addTask {
                for await signal in signals {
                    interrupt.trigger(name: signal.description)
                    messages.line(
                        interrupt.triggerCount == 1
                            ? "outdial: \(signal.description): no new rows are started; send it again to stop now"
                            : "outdial: \(signal.description) again: stopping now; rows in flight are uncertain"
                    )
                    messages.flush()
                }
            }
            let value = await body()
            group.cancelAll()
            return value
        }
    }
}
