import AWSSigV4
import ServiceLifecycle

/// A simulator that is listening: where it is, whom it trusts, what it has seen, and how to stop it.
public struct RunningSimulator: Sendable {
    /// The base URL to send requests to, e.g. `http://127.0.0.1:41817`.
    public let url: String
    /// The host it listens on.
    public let host: String
    /// The bound port (the one picked when the configuration said 0).
    public let port: Int
    /// The region requests must be signed for.
    public let region: String
    /// The credentials it accepts.
    public let credentials: AWSCredentials

    let log: RequestLog
    let engine: SimulatorEngine
    let clock: SimulatorClock
    let group: ServiceGroup
    let task: Task<Void, any Error>

    /// The start-up line: `listening on URL region=R access-key=AK secret-key=SK`, so a script can
    /// read the credentials.
    public var listeningLine: String {
        "listening on \(url) region=\(region) access-key=\(credentials.accessKeyId) "
            + "secret-key=\(credentials.secretAccessKey)"
    }

    /// The records of the requests received so far, in the order they were decided (up to the
    /// configuration's `recordsKeptInMemory`).
    public func requestLog() -> [RequestRecord] {
        log.records
    }

    /// The DescribeContact, StopContact and GetCurrentMetricData requests received so far, in the
    /// order they were decided (up to `recordsKeptInMemory`).
    public func operationLog() -> [OperationRecord] {
        log.operations
    }

    /// The contacts that have ended by now, in the order they ended (up to `recordsKeptInMemory`).
    public func endedContacts() -> [ContactEnding] {
        engine.settle(at: clock.now())
        return log.endings
    }

    /// Simulated calls still active now.
    public func activeCalls() -> Int {
        engine.activeCalls(at: clock.now())
    }

    /// Stops listening, ends hanging requests, lets answers in progress finish, and returns when
    /// the server has stopped.
    public func shutdown() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Returns when the server has stopped (after `shutdown()`, or a signal for `ConnectSimulator.run`).
    public func waitUntilStopped() async throws {
        try await task.value
    }
}
