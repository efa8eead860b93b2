import AWSSigV4
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A local Amazon Connect stand-in for StartOutboundVoiceContact and the live-call operations
/// (DescribeContact, StopContact, GetCurrentMetricData), over real HTTP.
///
/// ```swift
/// let simulator = try await ConnectSimulator.start(SimulatorConfiguration(), logger: logger)
/// defer { try? await simulator.shutdown() }
/// // send signed requests to simulator.url with simulator.credentials
/// ```
public enum ConnectSimulator {
    /// Errors that stop the simulator from starting.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts the simulator and returns once its port is bound.
    /// - Parameters:
    ///   - configuration: What to simulate.
    ///   - logger: Where to log (per-request lines are at debug level, phone numbers masked).
    ///   - clock: Where to read the time; tests pass a manual clock.
    /// - Returns: The running simulator; call `shutdown()` when done.
    /// - Throws: When the address cannot be bound or the log file cannot be opened.
    public static func start(
        _ configuration: SimulatorConfiguration,
        logger: Logger,
        clock: SimulatorClock = .system
    ) async throws -> RunningSimulator {
        try await start(configuration, logger: logger, clock: clock, handlesSignals: false)
    }

    /// Runs the simulator until SIGINT or SIGTERM, then shuts it down gracefully.
    /// - Parameters:
    ///   - configuration: What to simulate.
    ///   - logger: Where to log.
    ///   - onStart: Called once the port is bound (to print the start-up line).
    public static func run(
        _ configuration: SimulatorConfiguration,
        logger: Logger,
        onStart: @Sendable (RunningSimulator) -> Void
    ) async throws {
        let running = try await start(configuration, logger: logger, clock: .system, handlesSignals: true)
        onStart(running)
        try await running.waitUntilStopped()
    }

    private static func start(
        _ configuration: SimulatorConfiguration,
        logger: Logger,
        clock: SimulatorClock,
        handlesSignals: Bool
    ) async throws -> RunningSimulator {
        let credentials = AWSCredentials(
            accessKeyId: configuration.accessKey ?? "AKID" + randomText(16, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
            secretAccessKey: configuration.secretKey
                ?? randomText(40, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
            sessionToken: configuration.sessionToken
        )
        let log = try RequestLog(path: configuration.logPath, keepInMemory: configuration.recordsKeptInMemory)
        let engine = SimulatorEngine(configuration: configuration, onEnded: { log.append($0) })
        let responder = SimulatorResponder(
            engine: engine,
            region: configuration.region,
            verifier: SigV4Verifier(region: configuration.region, service: "connect", credentials: [credentials]),
            log: log,
            clock: clock,
            maxBodySize: configuration.maxBodySize,
            hangLimit: configuration.hangLimit,
            logger: logger
        )
        // Hummingbird's own start-up and per-connection lines stay out of the way of ours.
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)
        let ready = ReadySignal()
        let application = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
            onServerRunning: { channel in
                ready.succeed(port: channel.localAddress?.port ?? configuration.port)
            },
            logger: serverLogger
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application, ContactSweeper(engine: engine, clock: clock)],
                gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
                logger: serverLogger
            )
        )
        let task = Task {
            do {
                try await group.run()
                ready.fail(StartError(description: "the simulator stopped before it started listening"))
            } catch {
                ready.fail(error)
                throw error
            }
        }
        let port = try await ready.wait()
        let urlHost: String
        switch configuration.host {
        case "0.0.0.0", "": urlHost = "127.0.0.1"
        case "::": urlHost = "[::1]"
        case let host where host.contains(":"): urlHost = "[\(host)]"
        case let host: urlHost = host
        }
        return RunningSimulator(
            url: "http://\(urlHost):\(port)",
            host: configuration.host,
            port: port,
            region: configuration.region,
            credentials: credentials,
            log: log,
            engine: engine,
            clock: clock,
            group: group,
            task: task
        )
    }

    private static func randomText(_ count: Int, from alphabet: String) -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0 ..< count).map { _ in characters[Int(generator.next(upperBound: UInt64(characters.count)))] })
    }
}
