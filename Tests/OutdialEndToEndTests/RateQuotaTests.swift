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
            // The two token buckets tick apart, so an odd 429 may happen; each one was retried.
            #expect(throttled < 10)
            #expect(throttled == lines.compactMap(\.attempts).reduce(0, +) - 20)
            #expect(log.filter(\.newContact).count == 20)
            #expect(simulator.dialledTwice().isEmpty)
        }
    }

    @Test func unlimitedRateMeetsThrottlingAndRetries() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "unpaced", destinations: JobFile.destinations(12)))

        try await withSimulator(SimulatorConfiguration(rateLimit: .init(tps: 5, burst: 5))) { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "0", "--concurrency", "10",
                 "--max-attempts", "10"] + simulator.endpointArguments,
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
