import ConnectSimulator
import Foundation
import Testing

/// Calling windows through the built binary against the simulator. `OUTDIAL_START_TIME` starts
/// the run's clock two seconds before 08:00 in New York, so the wait is short and the same at
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
                environment: simulator.environment.merging(["OUTDIAL_START_TIME": "2026-12-02T12:59:58Z"]) { $1 }
            )
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("OUTDIAL_START_TIME=2026-12-02T12:59:58Z"))
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
                environment: simulator.environment.merging(["OUTDIAL_START_TIME": "2026-12-02T12:59:58Z"]) { $1 }
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
}
