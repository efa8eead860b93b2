import ConnectSimulator
import Foundation
import Testing

/// The service's rate quota against outdial's own pacing.
@Suite struct RateQuotaTests {
    @Test func pacingWithinTheQuotaStartsEveryRow() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "paced", destinations: JobFile.destinations(20)))

        try await withSimulator(SimulatorConfiguration(rateLimit: .init(tps: 5, burst: 5))) { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "5", "--burst", "5", "--concurrency", "10"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 0, "\(result.stderr)")
            let lines = ndjson(result.stdout)
            #expect(lines.count == 20)
            #expect(lines.allSatisfy { $0.status == "started" })
            let log = simulator.requestLog()
            let throttled = log.filter { $0.status == 429 }.count
            // The two token buckets tick apart (and on a loaded machine requests bunch up on the
            // way), so some 429s may happen; pacing keeps them well below one per row, and each
            // one was retried.
            #expect(throttled < 20)
            #expect(throttled == lines.compactMap(\.attempts).reduce(0, +) - 20)
            #expect(log.filter(\.newContact).count == 20)
            #expect(simulator.dialledTwice().isEmpty)
        }
    }

    /// Two runs of different jobs at once, recording in one ledger, each with `--rate 5 --burst 2`,
    /// against a simulator without a quota (so no throttled answer slows either down): with one
    /// account's key they share the rate, with a key each they send 10 a second together.
    /// - Parameter state: the `--state` both record in (a PostgreSQL URL), else a state directory.
    /// - Returns: seconds from the moment both runs were launched to the last request the simulator
    ///   saw. A shared bucket is made after the launch, so that is never less than the bucket's own
    ///   bound, however late the first requests leave on a loaded machine.
    static func twoRunsAtOnce(
        keys: (String, String),
        state: String? = nil,
        environment extra: [String: String] = [:]
    ) async throws -> Double {
        let dir = try TemporaryDirectory()
        let first = try dir.write("first.yaml", JobFile.yaml(id: "first", destinations: JobFile.destinations(30)))
        let second = try dir.write(
            "second.yaml",
            JobFile.yaml(id: "second", destinations: JobFile.destinations(30, first: 100))
        )
        return try await withSimulator { simulator in
            let state = state ?? dir.path("state")
            let (endpoint, environment) = (simulator.endpointArguments, simulator.environment.merging(extra) { $1 })
            let arguments = { @Sendable (job: String, key: String) -> [String] in
                [
                    "run", job, "--state", state, "--rate", "5", "--burst", "2", "--concurrency", "10",
                    "--quota-key", key,
                ] + endpoint
            }
            let launched = Date()
            async let a = Outdial.run(arguments(first, keys.0), environment: environment)
            async let b = Outdial.run(arguments(second, keys.1), environment: environment)
            let results = try await [a, b]
            for result in results {
                #expect(result.status == 0, "\(result.stderr)")
                let lines = ndjson(result.stdout)
                #expect(lines.count == 30)
                #expect(lines.allSatisfy { $0.status == "started" })
            }
            let log = simulator.requestLog()
            #expect(log.count == 60)
            #expect(log.filter(\.newContact).count == 60)
            #expect(simulator.dialledTwice().isEmpty)
            guard let end = log.map(\.time).max() else { return 0 }
            return end.timeIntervalSince(launched)
        }
    }

    @Test func runsOfOneAccountShareItsRateThroughTheLedger() async throws {
        let shared = try await Self.twoRunsAtOnce(keys: ("account", "account"))
        let apart = try await Self.twoRunsAtOnce(keys: ("team-a", "team-b"))
        // Shared, the 60 requests take at least what one bucket allows: 2 at once, then 58 at 5 a
        // second, 11.6 s after the bucket was made. Apart, each run has its own 5 a second: about
        // half the time, plus the same start-up.
        #expect(shared >= 11.5, "shared: \(shared) s, apart: \(apart) s")
        #expect(apart + 2 < shared, "shared: \(shared) s, apart: \(apart) s")
    }

    @Test func unlimitedRateMeetsThrottlingAndRetries() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "unpaced", destinations: JobFile.destinations(12)))

        try await withSimulator(SimulatorConfiguration(rateLimit: .init(tps: 5, burst: 5))) { simulator in
            let result = try await Outdial.run(
                [
                    "run", job, "--state-dir", dir.path("state"), "--rate", "0", "--concurrency", "10",
                    "--max-attempts", "10",
                ] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 0, "\(result.stderr)")
            let lines = ndjson(result.stdout)
            #expect(lines.count == 12)
            #expect(lines.allSatisfy { $0.status == "started" })
            #expect(lines.contains { ($0.attempts ?? 0) > 1 })
            let log = simulator.requestLog()
            let throttled = log.filter { $0.status == 429 }
            #expect(!throttled.isEmpty)
            #expect(throttled.allSatisfy { $0.errorType == "TooManyRequestsException" })
            #expect(throttled.count == lines.compactMap(\.attempts).reduce(0, +) - 12)
            #expect(log.filter(\.newContact).count == 12)
        }
    }
}
