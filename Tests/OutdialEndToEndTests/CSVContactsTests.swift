import ConnectSimulator
import Foundation
import Testing

/// `outdial run` of a job whose contacts are a CSV file, against the simulator.
@Suite struct CSVContactsTests {
    static let job = """
        version: 1
        id: csv-e2e
        defaults:
          InstanceId: 12345678-1234-1234-1234-123456789012
          ContactFlowId: 846ec553-a005-41c0-8341-123456789012
          SourcePhoneNumber: "+15550100100"
        contacts:
          csv: people.csv
          columns:
            DestinationPhoneNumber: phone
            Name: full_name
            Attributes.firstName: first_name
        window: off

        """

    @Test func oneResultLinePerCSVRowWithItsLine() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", Self.job)
        let destinations = JobFile.destinations(4)
        // Row 1 holds a line break in a quoted cell, so the rows after it start a line later;
        // row 2 has no country code, row 3 repeats row 0.
        _ = try dir.write(
            "people.csv",
            "phone,full_name,first_name\r\n"
                + "\(destinations[0]),\"Doe, Jane\",Jane\r\n"
                + "\(destinations[1]),\"Bob\r\nSmith\",\r\n"
                + "5551230002,Nobody,\r\n"
                + "\(destinations[0]),Again,\r\n"
                + "\(destinations[3]),Ann,Ann\r\n"
        )
        let csv = dir.path("people.csv")

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state"), "--rate", "0"] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 1, "\(result.stderr)")
            let lines = ndjson(result.stdout).sorted { ($0.row ?? 0) < ($1.row ?? 0) }
            #expect(lines.count == 5)
            #expect(lines.map { $0["line"] as? Int } == [2, 3, 5, 6, 7])
            #expect(lines.map(\.row) == [0, 1, 2, 3, 4])
            #expect(lines.allSatisfy { $0["source"] as? String == csv })
            #expect(lines.allSatisfy { $0["job"] as? String == "csv-e2e" })
            #expect(lines.map(\.status) == ["started", "started", "invalid", "duplicate", "started"])
            #expect(lines[2].error?["at"] as? String == "\(csv):5:1")
            #expect(result.stderr.contains("\(csv):5:1: error: contacts[2].DestinationPhoneNumber"))

            let sent = simulator.requestLog()
            #expect(sent.count == 3)
            #expect(Set(sent.compactMap(\.destination)) == [destinations[0], destinations[1], destinations[3]])
        }
        // The requests as planned: cells as written, an empty cell is no field.
        let plan = try await Outdial.run(["plan", job])
        let planned = ndjson(plan.stdout).filter { $0.status == "planned" }.sorted { ($0.row ?? 0) < ($1.row ?? 0) }
        #expect(planned.map { $0["line"] as? Int } == [2, 3, 7])
        #expect(planned.first?.request?["Name"] as? String == "Doe, Jane")
        #expect((planned.first?.request?["Attributes"] as? [String: String]) == ["firstName": "Jane"])
        #expect(planned.dropFirst().first?.request?["Name"] as? String == "Bob\r\nSmith")
        #expect(planned.dropFirst().first?.request?["Attributes"] == nil)
    }

    @Test func badCSVExitsTwoWithThePlaceAndSendsNothing() async throws {
        let dir = try TemporaryDirectory()
        let job = try dir.write("job.yaml", Self.job)
        _ = try dir.write("people.csv", "phone,full_name,first_name\n+15551230001,Jane\n")

        try await withSimulator { simulator in
            let result = try await Outdial.run(
                ["run", job, "--state-dir", dir.path("state")] + simulator.endpointArguments,
                environment: simulator.environment
            )
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr.contains(
                    "\(dir.path("people.csv")):2:18: error: this row has 2 cells; the header has 3 columns"
                )
            )
            #expect(simulator.requestLog().isEmpty)
        }
    }
}
