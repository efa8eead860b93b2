import ConnectSimulator
import Foundation
import Testing

/// `outdial run` as a user runs it: exit codes, one result line per row, what reached the service.
@Suite struct RunTests {
    @Test func simulateNeedsNoAWSSettings() async throws {
        let dir = try TemporaryDirectory()
        let destinations = JobFile.destinations(5)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "simulate-only", destinations: destinations))

        let result = try await Outdial.run(["run", job, "--simulate", "--state-dir", dir.path("state")])

        #expect(result.status == 0, "\(result.stderr)")
        let lines = ndjson(result.stdout)
        #expect(result.lines.count == 5)
        #expect(Set(lines.compactMap(\.destination)) == Set(destinations))
        for line in lines {
            #expect(line.status == "started")
            #expect(line["job"] as? String == "simulate-only")
            #expect(line.attempts == 1)
            #expect((line["contactId"] as? String)?.count == 36)
        }
        #expect(result.stderr.contains("(nobody is dialled)"))
        #expect(result.stderr.contains("outdial: 5 rows in "))
        #expect(result.stderr.contains(": 5 started\n"))
    }

    @Test func invalidRowsExitOneWithTheirPlace() async throws {
        let dir = try TemporaryDirectory()
        var destinations = JobFile.destinations(4)
        destinations[2] = "+1 (555) 123-000712345"
        let job = try dir.write("job.yaml", JobFile.yaml(id: "some-invalid", destinations: destinations))

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "0"] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 1)
            let lines = ndjson(result.stdout)
            #expect(lines.count == 4)
            let invalid = try #require(lines.first { $0.status == "invalid" })
            #expect(invalid.row == 2)
            #expect(invalid.errorCode == "InvalidDestinationPhoneNumber")
            // Row 2 is on line 10 (the rows start on line 8); its value starts in column 29.
            #expect(invalid.error?["at"] as? String == "\(job):10:29")
            #expect(invalid.request?["DestinationPhoneNumber"] as? String == "+1 (555) 123-000712345")
            #expect(lines.filter { $0.status == "started" }.count == 3)
            #expect(result.stderr.contains("\(job):10:29: error: contacts[2].DestinationPhoneNumber"))
            #expect(simulator.requestLog().count == 3)
            #expect(!simulator.requestLog().contains { $0.destination?.contains("0007") == true })
        }
    }

    @Test func structurallyWrongFileExitsTwoAndSendsNothing() async throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("good.yaml", JobFile.yaml(id: "good", destinations: JobFile.destinations(2)))
        let wrong = try dir.write("wrong.yaml", "version: 1\nid: wrong\ncontacts: 5\n")

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", good, wrong, "--state-dir", dir.path("state")] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr.contains("\(wrong):3:11: error: contacts: found a scalar; expected a list of requests")
            )
            #expect(
                result.stderr.contains("outdial: nothing was sent: a job file cannot be read or is structurally wrong")
            )
            #expect(simulator.requestLog().isEmpty)
        }
    }

    @Test func unreadableFileExitsTwoAndSendsNothing() async throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("good.yaml", JobFile.yaml(id: "good", destinations: JobFile.destinations(2)))
        let missing = dir.path("missing.yaml")

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", good, missing, "--state-dir", dir.path("state")] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("\(missing):1:1: error: no such file or directory"))
            #expect(simulator.requestLog().isEmpty)
        }
    }

    @Test func usageErrorExitsTwo() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "usage", destinations: JobFile.destinations(1)))

        let result = try await Outdial.run(["run", job, "--simulate", "--concurrency", "0"])

        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--concurrency must be at least 1, e.g. --concurrency 10"))
    }

    @Test func deadlineInThePastSkipsEveryRow() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "late", destinations: JobFile.destinations(4)))
        let formatter = ISO8601DateFormatter()
        let deadline = formatter.string(from: Date().addingTimeInterval(-60))

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--deadline", deadline] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 1)
            let lines = ndjson(result.stdout)
            #expect(lines.count == 4)
            for line in lines {
                #expect(line.status == "skipped")
                #expect(line.reason == "deadline")
                #expect(line.request?["DestinationPhoneNumber"] as? String == line.destination)
            }
            #expect(result.stderr.contains("4 skipped (4 deadline)"))
            #expect(simulator.requestLog().isEmpty)
        }
    }

    @Test func outputFileIsPrivateAndAppended() async throws {
        let dir = try TemporaryDirectory()
        let first = try dir.write("first.yaml", JobFile.yaml(id: "first", destinations: JobFile.destinations(3)))
        let second = try dir.write(
            "second.yaml",
            JobFile.yaml(id: "second", destinations: JobFile.destinations(2, first: 100))
        )
        let output = dir.path("results.ndjson")
        let summary = dir.path("summary.json")

        try await withSimulator { simulator in
            let one = try await Outdial.run(
                ["run", first, "--state-dir", dir.path("state"), "-o", output] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(one.status == 0)
            #expect(one.stdout.isEmpty)
            let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(lineCount(atPath: output) == 3)

            let two = try await Outdial.run(
                ["run", second, "--state-dir", dir.path("state"), "-o", output, "--summary", summary]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(two.status == 0)
            let lines = resultLines(atPath: output)
            #expect(lines.count == 5)
            #expect(lines.prefix(3).allSatisfy { $0["job"] as? String == "first" })
            #expect(lines.suffix(2).allSatisfy { $0["job"] as? String == "second" })
            #expect(lines.allSatisfy { $0.status == "started" })

            let data = try Data(contentsOf: URL(fileURLWithPath: summary))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["rows"] as? Int == 2)
            #expect(json["counts"] as? [String: Int] == ["started": 2])
            #expect(json["requests"] as? Int == 2)
            #expect(json["exitCode"] as? Int == 0)
            #expect(json["interrupted"] as? Bool == false)
        }
    }

    @Test func summaryFileCarriesFailuresAndExitCode() async throws {
        let dir = try TemporaryDirectory()
        var destinations = JobFile.destinations(3)
        destinations.append(destinations[0])
        destinations.append("+1")
        let job = try dir.write("job.yaml", JobFile.yaml(id: "mixed", destinations: destinations))
        let summary = dir.path("summary.json")

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--summary", summary] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 1)
            #expect(result.lines.count == 5)
            let data = try Data(contentsOf: URL(fileURLWithPath: summary))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(json["rows"] as? Int == 5)
            #expect(json["counts"] as? [String: Int] == ["started": 3, "duplicate": 1, "invalid": 1])
            #expect(json["exitCode"] as? Int == 1)
        }
    }

    @Test func debugOutputHoldsNoSecretAndNoFullNumber() async throws {
        let dir = try TemporaryDirectory()
        let destinations = JobFile.destinations(3, first: 4321)
        let job = try dir.write("job.yaml", JobFile.yaml(id: "debug", destinations: destinations))
        let token = "FwoGZXIvYXdzEBQaDEXAMPLESESSIONTOKEN0123456789abcdef"
        let output = dir.path("results.ndjson")

        try await withSimulator(SimulatorConfiguration(sessionToken: token)) { simulator in
            var environment = simulator.environment
            environment["AWS_SESSION_TOKEN"] = token
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--debug", "-o", output] + simulator.endpointArguments,
                environment: environment
            )
            #expect(result.status == 0, "\(result.stderr)")
            let results = String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
            #expect(resultLines(atPath: output).count == 3)
            // The debug output is there, and shows requests and responses.
            #expect(result.stderr.contains("request PUT \(simulator.url)/contact/outbound-voice"))
            #expect(result.stderr.contains("response 200"))
            for text in [result.stderr, result.stdout, results] {
                #expect(!text.contains(simulator.credentials.secretAccessKey))
                #expect(!text.contains(token))
            }
            for destination in destinations {
                #expect(!result.stderr.contains(destination))
                #expect(!result.stderr.contains(String(destination.dropFirst())))
            }
            #expect(result.stderr.contains("+1555***4321"))
        }
    }
}
