import ConnectSimulator
import Foundation
import Testing

/// The halt rule: credentials refused, or the same refusal row after row, stop the run (exit 3).
@Suite struct HaltTests {
    @Test func wrongSecretKeyAbortsAtTheFirstRefusal() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "wrong-secret", destinations: JobFile.destinations(5)))

        try await withSimulator { simulator in
            var environment = simulator.environment
            environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--concurrency", "1"] + simulator.endpointArguments,
                environment: environment
            )
            #expect(result.status == 3)
            let lines = ndjson(result.stdout)
            #expect(lines.count == 5)
            let failed = lines.filter { $0.status == "failed" }
            #expect(failed.count == 1)
            #expect(failed.first?.errorCode == "InvalidSignatureException")
            #expect(failed.first?.error?["http"] as? Int == 403)
            #expect(failed.first?.error?["retryable"] as? Bool == false)
            #expect(failed.first?.attempts == 1)
            let skipped = lines.filter { $0.status == "skipped" }
            #expect(skipped.count == 4)
            #expect(skipped.allSatisfy { $0.reason == "halted" })
            #expect(simulator.requestLog().count == 1)
            #expect(result.stderr.contains("outdial: aborted: InvalidSignatureException: "))
        }
    }

    @Test func unknownAccessKeyAborts() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "unknown-key", destinations: JobFile.destinations(4)))

        try await withSimulator { simulator in
            var environment = simulator.environment
            environment["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--concurrency", "1"] + simulator.endpointArguments,
                environment: environment
            )
            #expect(result.status == 3)
            let lines = ndjson(result.stdout)
            #expect(lines.count == 4)
            #expect(lines.filter { $0.status == "failed" }.map(\.errorCode) == ["UnrecognizedClientException"])
            #expect(lines.filter { $0.status == "skipped" && $0.reason == "halted" }.count == 3)
            #expect(simulator.requestLog().count == 1)
        }
    }

    @Test func sameRefusalRowAfterRowHalts() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "no-such-instance", destinations: JobFile.destinations(8)))
        // Connect answers 404 ResourceNotFoundException for an instance that does not exist: a
        // refusal outdial's own checks cannot foresee.
        let endpoint = try await BotocoreEndpoint.start(
            accessKey: "AKIDHALTEXAMPLE",
            secretKey: "halt-secret",
            sessionToken: nil,
            logPath: dir.path("endpoint.ndjson"),
            refuse: "404:ResourceNotFoundException"
        )

        let result = try await Outdial.run(
            [
                "run", job, "--state-dir", dir.path("state"), "--concurrency", "1", "--rate", "0", "--halt-after", "3",
                "--endpoint-url", endpoint.url, "--region", "us-east-1",
            ],
            environment: ["AWS_ACCESS_KEY_ID": "AKIDHALTEXAMPLE", "AWS_SECRET_ACCESS_KEY": "halt-secret"]
        )
        await endpoint.stop()

        #expect(result.status == 3)
        let lines = ndjson(result.stdout)
        #expect(lines.count == 8)
        let failed = lines.filter { $0.status == "failed" }
        #expect(failed.count == 3)
        #expect(failed.allSatisfy { $0.errorCode == "ResourceNotFoundException" && $0.attempts == 1 })
        #expect(failed.allSatisfy { $0.error?["http"] as? Int == 404 && $0.error?["retryable"] as? Bool == false })
        #expect(lines.filter { $0.status == "skipped" && $0.reason == "halted" }.count == 5)
        #expect(endpoint.verdicts().count == 3)
        #expect(
            result.stderr.contains(
                "outdial: aborted: Halted: 3 rows in a row were refused with ResourceNotFoundException (--halt-after 3)"
            )
        )
    }
}
