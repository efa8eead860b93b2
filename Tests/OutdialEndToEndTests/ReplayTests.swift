import ConnectSimulator
import Foundation
import Testing

/// `outdial replay`: rows built back from results lines, under their job ids and tokens.
@Suite struct ReplayTests {
    @Test func failedRowsReplayedAgainstAHealthyService() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "replayed", destinations: JobFile.destinations(3)))
        let failedResults = dir.path("failed.ndjson")
        let state = dir.path("state")

        try await withSimulator(SimulatorConfiguration(faults: .init(errorRate: 1), seed: 3)) { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", state, "-o", failedResults, "--rate", "0", "--max-attempts", "1"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 1)
        }
        let failed = resultLines(atPath: failedResults)
        #expect(failed.count == 3)
        #expect(failed.allSatisfy { $0.status == "failed" })

        try await withSimulator { simulator in
            // Nothing is uncertain: --status uncertain sends nothing.
            let none = try await Outdial.run(
                [
                    "replay", failedResults, "--status", "uncertain", "--state-dir", state, "--rate", "0", "--window",
                    "off",
                ]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(ndjson(none.stdout).isEmpty)
            #expect(simulator.requestLog().isEmpty)

            let replay = try await Outdial.run(
                ["replay", failedResults, "--state-dir", state, "--rate", "0", "--window", "off"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(replay.status == 0, "\(replay.stderr)")
            let lines = ndjson(replay.stdout)
            #expect(lines.count == 3)
            #expect(lines.allSatisfy { $0.status == "started" && $0["job"] as? String == "replayed" })
            #expect(
                Set(lines.compactMap { $0["clientToken"] as? String })
                    == Set(failed.compactMap { $0["clientToken"] as? String })
            )
            #expect(
                Set(simulator.requestLog().compactMap(\.token))
                    == Set(failed.compactMap { $0["clientToken"] as? String })
            )
        }
    }

    @Test func editedLineIsValidatedAgain() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", JobFile.yaml(id: "edited", destinations: JobFile.destinations(2)))
        let results = dir.path("results.ndjson")
        let state = dir.path("state")

        try await withSimulator(SimulatorConfiguration(faults: .init(errorRate: 1), seed: 3)) { simulator in
            _ = try await Outdial.run(
                ["run", job, "--state-dir", state, "-o", results, "--rate", "0", "--max-attempts", "1"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
        }
        // A data team "fixes" a number into an invalid one.
        let text = String(decoding: FileManager.default.contents(atPath: results) ?? Data(), as: UTF8.self)
        let edited = text.replacingOccurrences(
            of: "\"DestinationPhoneNumber\":\"+15551230000\"",
            with: "\"DestinationPhoneNumber\":\"+1555123000012345\""
        )
        #expect(edited != text)
        let editedPath = try dir.write("edited.ndjson", edited)

        try await withSimulator { simulator in
            let replay = try await Outdial.run(
                ["replay", editedPath, "--state-dir", state, "--rate", "0", "--window", "off"]
                    + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(replay.status == 1)
            let lines = ndjson(replay.stdout)
            #expect(lines.count == 2)
            let invalid = lines.filter { $0.status == "invalid" }
            #expect(invalid.count == 1)
            #expect(invalid.first?.errorCode == "InvalidDestinationPhoneNumber")
            #expect(lines.filter { $0.status == "started" }.count == 1)
            #expect(simulator.requestLog().compactMap(\.destination) == ["+15551230001"])
        }
    }
}
