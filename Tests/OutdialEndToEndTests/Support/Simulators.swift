import ConnectSimulator
import Foundation
import Logging

/// The in-process simulator, as end-to-end tests use it.
extension RunningSimulator {
    /// Starts a simulator on a free loopback port with the given behaviour.
    static func start(_ configuration: SimulatorConfiguration = SimulatorConfiguration()) async throws
        -> RunningSimulator
    {
        var logger = Logger(label: "outdial.e2e.simulator")
        logger.logLevel = .critical
        return try await ConnectSimulator.start(configuration, logger: logger)
    }

    /// The environment that gives outdial this simulator's credentials.
    var environment: [String: String] {
        ["AWS_ACCESS_KEY_ID": credentials.accessKeyId, "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey]
    }

    /// `--endpoint-url URL --region REGION`.
    var endpointArguments: [String] { ["--endpoint-url", url, "--region", region] }

    /// How many requests for `destination` started a new contact.
    func newContacts(for destination: String) -> Int {
        requestLog().filter { $0.destination == destination && $0.newContact }.count
    }

    /// Destinations that got `newContact: true` more than once.
    func dialledTwice() -> [String] {
        var counts: [String: Int] = [:]
        for record in requestLog() where record.newContact {
            counts[record.destination ?? "", default: 0] += 1
        }
        return counts.filter { $0.value > 1 }.keys.sorted()
    }
}

/// Runs `body` with a simulator and shuts it down afterwards, even when `body` throws.
func withSimulator<T>(
    _ configuration: SimulatorConfiguration = SimulatorConfiguration(),
    _ body: (RunningSimulator) async throws -> T
) async throws -> T {
    let simulator = try await RunningSimulator.start(configuration)
    do {
        let value = try await body(simulator)
        try await simulator.shutdown()
        return value
    } catch {
        try? await simulator.shutdown()
        throw error
    }
}
