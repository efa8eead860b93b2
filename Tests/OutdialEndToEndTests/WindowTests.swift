import ConnectSimulator
import Foundation
import Testing

/// Calling windows through the built binary against the simulator. `OUTDIAL_START_TIME` starts
/// the run's clock five seconds before 08:00 in New York, so the wait is short and the same at
/// any time of day.
@Suite struct WindowTests {
    static let job = """
        version: 1
        id: windows-e2e
        defaults:
          InstanceId: 11111111-2222-3333-4444-555555555555
          ContactFlowId: 22222222-3333-4444-5555-666666666666
          SourcePhoneNumber: "+12025550100"
        contacts:
          - DestinationPhoneNumber: "+12125550142"
          - DestinationPhoneNumber: "+12125550143"
          - DestinationPhoneNumber: "+442079460142"
          - DestinationPhoneNumber: "+61255500142"
          - DestinationPhoneNumber: "+15551230001"

        """

    @Test func waitStartsRowsWhenTheirWindowOpens() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", Self.job)

        try await withSimulator(SimulatorConfiguration()) { simulator in
            let result = try await Outdial.run(
                [
                    "run", job, "--state-dir", dir.path("state"), "--wait", "--deadline", "2026-12-02T13:00:30Z",
                    "--rate", "0", "--no-progress", "--summary", dir.path("summary.json"),
                ] + simulator.endpointArguments,
                environment: simulator.environment.merging(["OUTDIAL_START_TIME": "2026-12-02T12:59:55Z"]) { $1 }
            )
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("OUTDIAL_START_TIME=2026-12-02T12:59:55Z"))
            let lines = ndjson(result.stdout)
            #expect(lines.count == 5)
            let byNumber = Dictionary(lines.map { ($0.destination ?? "", $0) }, uniquingKeysWith: { a, _ in a })

            // London (12:59 GMT) goes at once; New York's rows wait for 08:00 EST (13:00Z).
            let london = try #require(byNumber["+442079460142"])
            #expect(london.status == "started")
            #expect((london["at"] as? String ?? "") < "2026-12-02T13:00:00.000Z")
            for number in ["+12125550142", "+12125550143"] {
                let row = try #require(byNumber[number])
                #expect(row.status == "started")
                #expect((row["at"] as? String ?? "") >= "2026-12-02T13:00:00.000Z")
            }
            // Sydney opens after the deadline: not held, skipped with its next opening.
            let sydney = try #require(byNumber["+61255500142"])
            #expect(sydney.reason == "outside-window")
            #expect(sydney["opensAt"] as? String == "2026-12-03T08:00:00+11:00")
            #expect(byNumber["+15551230001"]?.reason == "no-timezone")

            // The simulator saw London first, and nobody outside their window.
            let log = simulator.requestLog().filter(\.newContact)
            #expect(log.map(\.destination).first == "+442079460142")
            #expect(Set(log.compactMap(\.destination)) == ["+442079460142", "+12125550142", "+12125550143"])

            let summary = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: dir.path("summary.json")))
            )
            let zones = (summary as? [String: Any])?["timezones"] as? [String: [String: Int]]
            #expect(
                zones == [
                    "America/New_York": ["started": 2], "Europe/London": ["started": 1],
                    "Australia/Sydney": ["skipped": 1], "none": ["skipped": 1],
                ]
            )
            #expect(result.stderr.contains("by time zone: America/New_York 2 (2 started)"))
        }
    }

    @Test func withoutWaitRowsOutsideTheirWindowAreSkippedForAReplay() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", Self.job)

        try await withSimulator(SimulatorConfiguration()) { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "0", "--no-progress"]
                    + simulator.endpointArguments,
                environment: simulator.environment.merging(["OUTDIAL_START_TIME": "2026-12-02T12:59:55Z"]) { $1 }
            )
            #expect(result.status == 1, "\(result.stderr)")
            let skipped = ndjson(result.stdout).filter { $0.reason == "outside-window" }
            #expect(Set(skipped.compactMap(\.destination)) == ["+12125550142", "+12125550143", "+61255500142"])
            #expect(
                skipped.first { $0.destination == "+12125550142" }?["opensAt"] as? String == "2026-12-02T08:00:00-05:00"
            )
            #expect(simulator.requestLog().filter(\.newContact).map(\.destination) == ["+442079460142"])
        }
    }

    @Test func replaySendsSkippedRowsWhenTheirWindowOpensInTheZoneTheyWereJudgedIn() async throws {
        let dir = try TemporaryDirectory()
        // A number with no real area code, called in Berlin's hours (the row's own timezone).
        let job = try dir.write(
            "job.yaml",
            Self.job.replacingOccurrences(
                of: "  - DestinationPhoneNumber: \"+15551230001\"\n",
                with: "  - DestinationPhoneNumber: \"+15551230001\"\n    timezone: Europe/Berlin\n"
            )
        )
        let results = dir.path("results.ndjson")

        try await withSimulator(SimulatorConfiguration()) { simulator in
            // 05:30 UTC: 06:30 in Berlin, 05:30 in London, night in New York, 16:30 in Sydney.
            let night = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "0", "--no-progress", "-o", results]
                    + simulator.endpointArguments,
                environment: simulator.environment.merging(["OUTDIAL_START_TIME": "2026-12-02T05:30:00Z"]) { $1 }
            )
            #expect(night.status == 1, "\(night.stderr)")
            let berlin = try #require(
                ndjson(try String(contentsOfFile: results, encoding: .utf8)).first {
                    $0.destination == "+15551230001"
                }
            )
            #expect(berlin.reason == "outside-window")
            #expect(berlin["timezone"] as? String == "Europe/Berlin")
            #expect(berlin["opensAt"] as? String == "2026-12-02T08:00:00+01:00")

            // The morning replay at 07:30 UTC: Berlin (08:30) is open, London (07:30) and New York
            // (02:30) are not; Sydney's row started at night and is not replayed.
            let morning = try await Outdial.run(
                ["replay", results, "--status", "skipped", "--state-dir", dir.path("state"), "--rate", "0"]
                    + simulator.endpointArguments,
                environment: simulator.environment.merging(["OUTDIAL_START_TIME": "2026-12-02T07:30:00Z"]) { $1 }
            )
            let replayed = Dictionary(
                ndjson(morning.stdout).map { ($0.destination ?? "", $0) },
                uniquingKeysWith: { a, _ in a }
            )
            #expect(replayed["+15551230001"]?.status == "started", "\(morning.stderr)")
            #expect(replayed["+12125550142"]?.reason == "outside-window")
            #expect(replayed["+442079460142"]?.reason == "outside-window")
            #expect(replayed["+61255500142"] == nil)
            #expect(
                simulator.requestLog().filter(\.newContact).compactMap(\.destination) == [
                    "+61255500142", "+15551230001",
                ]
            )
        }
    }
}
