import ConnectSimulator
import Foundation
import Testing

/// Faults the simulator injects, as the results show them.
@Suite struct InjectedFaultTests {
    /// Runs a 3-row job against a simulator with `faults`; returns the result and the simulator's log.
    private func runAgainst(
        _ faults: SimulatorConfiguration.Faults,
        _ arguments: [String]
    ) async throws -> (Outdial.Result, [RequestRecord]) {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "faults", destinations: JobFile.destinations(3)))
        return try await withSimulator(SimulatorConfiguration(faults: faults, seed: 42)) { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "0"] + arguments + simulator.endpointArguments,
                environment: simulator.environment
            )
            return (result, simulator.requestLog())
        }
    }

    @Test func serverErrorsAreRetriedThenFail() async throws {
        let (result, log) = try await runAgainst(.init(errorRate: 1), ["--max-attempts", "4"])

        #expect(result.status == 1)
        let lines = ndjson(result.stdout)
        #expect(lines.count == 3)
        for line in lines {
            #expect(line.status == "failed")
            #expect(line.attempts == 4)
            #expect(line.errorCode == "InternalServiceException")
            #expect(line.error?["http"] as? Int == 500)
            #expect(line.error?["retryable"] as? Bool == true)
            #expect(line.request?["ClientToken"] as? String == line["clientToken"] as? String)
        }
        #expect(log.count == 12)
        #expect(log.allSatisfy { $0.status == 500 && $0.errorType == "InternalServiceException" && !$0.newContact })
        #expect(result.stderr.contains("3 rows in "))
        #expect(result.stderr.contains(": 3 failed\n"))
        #expect(result.stderr.contains("outdial: 12 requests, "))
    }

    @Test func throttlingIsRetriedThenFails() async throws {
        let (result, log) = try await runAgainst(.init(throttleRate: 1), [])

        #expect(result.status == 1)
        let lines = ndjson(result.stdout)
        #expect(lines.count == 3)
        for line in lines {
            #expect(line.status == "failed")
            #expect(line.attempts == 3)
            #expect(line.errorCode == "TooManyRequestsException")
            #expect(line.error?["http"] as? Int == 429)
            #expect(line.error?["retryable"] as? Bool == true)
        }
        #expect(log.count == 9)
        #expect(log.allSatisfy { $0.status == 429 })
    }

    @Test func hangsTimeOutAndLeaveRowsUncertain() async throws {
        let (result, log) = try await runAgainst(.init(hangRate: 1), ["--timeout", "0.5", "--max-attempts", "2"])

        #expect(result.status == 1)
        let lines = ndjson(result.stdout)
        #expect(lines.count == 3)
        for line in lines {
            #expect(line.status == "uncertain")
            #expect(line.attempts == 2)
            #expect(line.errorCode == "Timeout")
            #expect((line.error?["message"] as? String)?.hasSuffix("within 0.5 seconds") == true)
            #expect(line.request?["DestinationPhoneNumber"] as? String == line.destination)
        }
        #expect(log.count == 6)
        #expect(log.allSatisfy { $0.errorType == "Hang" && $0.status == nil })
        #expect(result.stderr.contains(": 3 uncertain\n"))
    }

    @Test func resetsLeaveRowsUncertain() async throws {
        let (result, log) = try await runAgainst(.init(resetRate: 1), [])

        #expect(result.status == 1)
        let lines = ndjson(result.stdout)
        #expect(lines.count == 3)
        for line in lines {
            // The request went out and the connection dropped: Connect may have started the call.
            #expect(line.status == "uncertain")
            #expect(line.attempts == 3)
            #expect(line.errorCode == "ConnectionError")
            #expect(line.error?["retryable"] as? Bool == true)
            #expect((line.error?["message"] as? String)?.contains("lost") == true)
        }
        #expect(log.count == 9)
        #expect(log.allSatisfy { $0.errorType == "ConnectionReset" })
    }

    @Test func unreachableEndpointAbortsWithNothingSent() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "unreachable", destinations: JobFile.destinations(5)))
        // A port that was just free: nothing listens there.
        let simulator = try await RunningSimulator.start()
        let url = simulator.url
        let environment = simulator.environment
        try await simulator.shutdown()

        let result = try await Outdial.run(
            [
                "run", job, "--state-dir", dir.path("state"), "--rate", "0", "--concurrency", "1",
                "--endpoint-url", url, "--region", "us-east-1",
            ],
            environment: environment
        )

        #expect(result.status == 3)
        let lines = ndjson(result.stdout)
        #expect(lines.count == 5)
        #expect(Set(lines.compactMap(\.status)).isSubset(of: ["failed", "skipped"]))
        #expect(lines.filter { $0.status == "skipped" }.allSatisfy { $0.reason == "halted" })
        #expect(lines.filter { $0.status == "failed" }.allSatisfy { $0.errorCode == "ConnectionRefused" })
        #expect(result.stderr.contains("outdial: aborted: "))
    }
}
