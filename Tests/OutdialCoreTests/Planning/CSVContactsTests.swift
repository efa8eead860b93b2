import Testing

@testable import OutdialCore

/// Jobs whose contacts are a CSV file: each record is planned as a row written in YAML would be, and
/// results and problems point into the CSV file.
struct CSVContactsTests {
    static let header = """
        version: 1
        id: csv-job
        defaults:
          InstanceId: 12345678-1234-1234-1234-123456789012
          ContactFlowId: 846ec553-a005-41c0-8341-123456789012
          SourcePhoneNumber: "+15550100100"
          Attributes: {campaign: spring}

        """

    /// A job over `people.csv` whose `columns` map `phone` to DestinationPhoneNumber, then `more`; the
    /// first of `more` is on line 12.
    static func job(columns more: [String]) -> String {
        header + "contacts:\n  csv: people.csv\n  columns:\n    DestinationPhoneNumber: phone\n"
            + more.map { "    \($0)\n" }.joined()
    }

    struct Planned {
        var report: PlanReport
        var events: [PlanEvent]
        var failures: [String]

        var rows: [PlannedRow] {
            events.compactMap { if case .planned(let row) = $0 { return row } else { return nil } }
        }
        var rejected: [(ResultLine, [Diagnostic])] {
            events.compactMap {
                if case .rejected(let line, let problems) = $0 { return (line, problems) } else { return nil }
            }
        }
    }

    /// Plans `job` (named `jobs/job.yaml` in results and messages) beside `people.csv` holding `csv`.
    func plan(_ job: String, csv: [UInt8]?, csvName: String = "people.csv") throws -> Planned {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write("job.yaml", job)
        if let csv { _ = try files.write(csvName, csv) }
        var planner = JobPlanner()
        var events: [PlanEvent] = []
        var failures: [String] = []
        let report = try planner.planAll(
            [JobInput(path: path, source: "jobs/job.yaml")],
            onEvent: { events.append($0) },
            onFailure: { failures += $0.diagnostics.map(\.description) }
        )
        return Planned(report: report, events: events, failures: failures)
    }

    func plan(_ job: String, csv: String) throws -> Planned {
        try plan(job, csv: Array(csv.utf8))
    }

    func body(_ row: PlannedRow) -> String { String(decoding: row.body, as: UTF8.self) }

    @Test func rowsAreMergedWithTheDefaultsAndNameTheirCSVLines() throws {
        let job = Self.job(columns: ["Name: full_name", "Attributes.firstName: first_name", "timezone: tz"])
        let csv = """
            phone,full_name,first_name,tz,unused
            +1 (555) 123-0001,"Doe, Jane",Jane,America/New_York,x
            +15551230002,"Bob ""the builder""
            Smith",,,y
            """
        let planned = try plan(job, csv: csv)
        #expect(planned.failures == [])
        #expect(planned.report.summaries.first?.contactsSource == "jobs/people.csv")
        #expect(planned.report.summaries.first?.source == "jobs/job.yaml")
        #expect(
            planned.rows.map(\.ref) == [
                RowRef(job: "csv-job", source: "jobs/people.csv", row: 0, line: 2),
                RowRef(job: "csv-job", source: "jobs/people.csv", row: 1, line: 3),
            ]
        )
        #expect(planned.rows.first?.timezone == "America/New_York")
        #expect(body(planned.rows[0]).contains(#""DestinationPhoneNumber":"+15551230001""#))
        #expect(body(planned.rows[0]).contains(#""Name":"Doe, Jane""#))
        #expect(body(planned.rows[0]).contains(#""Attributes":{"campaign":"spring","firstName":"Jane"}"#))
        #expect(!body(planned.rows[0]).contains("unused"))
        // An empty cell is a field not given: the defaults stand, and no timezone is set.
        #expect(body(planned.rows[1]).contains(#""Attributes":{"campaign":"spring"}"#))
        #expect(body(planned.rows[1]).contains(#""Name":"Bob \"the builder\"\nSmith""#))
        #expect(planned.rows[1].timezone == nil)
    }

    @Test func sameRowsAsTheSameJobWrittenInYAML() throws {
        let csvJob = Self.header + "contacts:\n  csv: people.csv\n"
        let csv = "DestinationPhoneNumber,Name,Attributes.seq\n+15551230001,Jane,1\n+15551230002,Bob,2\n"
        let yamlJob =
            Self.header + """
                contacts:
                  - {DestinationPhoneNumber: "+15551230001", Name: Jane, Attributes: {seq: "1"}}
                  - {DestinationPhoneNumber: "+15551230002", Name: Bob, Attributes: {seq: "2"}}
                """
        let fromCSV = try plan(csvJob, csv: csv)
        let fromYAML = try plan(yamlJob, csv: nil)
        #expect(fromCSV.rows.count == 2)
        #expect(fromCSV.rows.map(\.body) == fromYAML.rows.map(\.body))
        #expect(fromCSV.rows.map(\.clientToken) == fromYAML.rows.map(\.clientToken))
    }

    @Test func invalidRowsPointIntoTheCSVAndTheRestGoAhead() throws {
        let job = Self.header + "contacts:\n  csv: people.csv\n  delimiter: \";\"\n"
        let csv =
            "DestinationPhoneNumber;Name;RingTimeoutInSeconds\n+15551230001;Jane;30\n5551230002;Bob;\n+15551230003;Ann;5\n+15551230001;Dup;\n"
        let planned = try plan(job, csv: csv)
        #expect(planned.rows.map(\.ref.line) == [2])
        #expect(body(planned.rows[0]).contains(#""RingTimeoutInSeconds":30"#))
        let rejected = planned.rejected
        #expect(rejected.map(\.0.status) == [.invalid, .invalid, .duplicate])
        #expect(rejected.map(\.0.ref.line) == [3, 4, 5])
        #expect(rejected[0].0.ref.source == "jobs/people.csv")
        #expect(rejected[0].0.error?.at == "jobs/people.csv:3:1")
        #expect(rejected[0].0.error?.code == "InvalidDestinationPhoneNumber")
        #expect(rejected[1].0.error?.at == "jobs/people.csv:4:18")
        #expect(rejected[2].0.duplicateOf?.source == "jobs/people.csv")
        #expect(rejected[2].0.duplicateOf?.row == 0)
    }

    @Test func headerWithoutColumnsMustNameFields() throws {
        let job = Self.header + "contacts:\n  csv: people.csv\n"
        let planned = try plan(job, csv: "DestinationPhoneNumber,name,,Attributes.x,References\n+15551230001,a,b,c,d\n")
        #expect(planned.report.exitCode == 2)
        #expect(planned.events.isEmpty)
        #expect(
            planned.failures == [
                "jobs/people.csv:1:24: error: column \"name\": unknown field \"name\"; expected a request field, "
                    + "Attributes.KEY or timezone; did you mean Name? (or map columns to fields with contacts.columns "
                    + "in jobs/job.yaml)",
                "jobs/people.csv:1:29: error: a header cell is empty; name every column, or map the columns you "
                    + "need with contacts.columns in jobs/job.yaml",
                "jobs/people.csv:1:43: error: column \"References\": References is a map; name one member of it, "
                    + "like References.KEY (or map columns to fields with contacts.columns in jobs/job.yaml)",
            ]
        )
    }

    @Test func aColumnNamedInColumnsThatIsMissing() throws {
        let job = Self.job(columns: ["Name: fullname"])
        let planned = try plan(job, csv: "phone,full_name\n+15551230001,Jane\n")
        #expect(planned.report.exitCode == 2)
        #expect(planned.events.isEmpty)
        #expect(
            planned.failures == [
                "jobs/people.csv:1:1: error: the header has no column \"fullname\", named for Name at "
                    + "jobs/job.yaml:12:11; its columns are \"phone\", \"full_name\"; did you mean \"full_name\"?"
            ]
        )
    }

    @Test func wrongContactsMapsAreReportedInTheJobFile() throws {
        let job =
            Self.header + """
                contacts:
                  csv: people.csv
                  delimiter: "|"
                  column: {Name: x}
                  columns:
                    Phone: phone
                    Attributes: x
                """
        let planned = try plan(job, csv: "phone\n")
        #expect(
            planned.failures == [
                "jobs/job.yaml:10:14: error: contacts.delimiter: found \"|\"; expected \",\", \";\" or \"\\t\"",
                "jobs/job.yaml:11:3: error: contacts: unknown key \"column\"; did you mean columns?",
                "jobs/job.yaml:13:5: error: contacts.columns.Phone: unknown field \"Phone\"; expected a request field, "
                    + "Attributes.KEY or timezone; did you mean Name?",
                "jobs/job.yaml:14:5: error: contacts.columns.Attributes: Attributes is a map; name one member of it, "
                    + "like Attributes.KEY",
            ]
        )
    }

    @Test func unreadableAndEmptyCSVFiles() throws {
        let job = Self.header + "contacts:\n  csv: people.csv\n"
        let missing = try plan(job, csv: nil)
        #expect(
            missing.failures == [
                "jobs/job.yaml:9:8: error: contacts.csv: jobs/people.csv: cannot open the file: no such file or directory"
            ]
        )
        let empty = try plan(job, csv: [0xEF, 0xBB, 0xBF])
        #expect(empty.report.exitCode == 2)
        #expect(
            empty.failures == [
                "jobs/people.csv:1:1: error: the CSV file is empty; expected a header row naming the columns, "
                    + "then one row per contact"
            ]
        )
    }

    @Test func badCSVStopsTheJobWithThePlace() throws {
        let job = Self.header + "contacts:\n  csv: people.csv\n"
        let cases: [([UInt8], String)] = [
            (
                Array("DestinationPhoneNumber,Name\n+15551230001,\"Jane\n".utf8),
                "jobs/people.csv:2:14: error: the quoted cell that starts here has no closing quote (\")"
            ),
            (
                Array("DestinationPhoneNumber,Name\n+15551230001,Jane,x\n".utf8),
                "jobs/people.csv:2:19: error: this row has more cells than the header's 2 columns "
                    + "(\"DestinationPhoneNumber\", \"Name\"); a cell holding the delimiter \",\" must be quoted"
            ),
            (
                Array("DestinationPhoneNumber,Name\n+15551230001,Jos".utf8) + [0xC3, 0x28] + Array("\n".utf8),
                "jobs/people.csv:2:17: error: invalid UTF-8: byte 0x28 cannot continue a multi-byte character"
            ),
            (
                Array("DestinationPhoneNumber,Name\n+15551230001,".utf8)
                    + [UInt8](repeating: UInt8(ascii: "n"), count: 10 << 20),
                "jobs/people.csv:2:14: error: the cell that starts here is longer than the limit of 1 MiB (1048576 bytes)"
            ),
        ]
        for (csv, expected) in cases {
            let planned = try plan(job, csv: csv)
            #expect(planned.report.exitCode == 2)
            #expect(planned.failures == [expected])
        }
    }

    @Test func derivedJobIdCoversTheCSVBytes() throws {
        let job = Self.header.replacingOccurrences(of: "id: csv-job\n", with: "") + "contacts:\n  csv: people.csv\n"
        let first = try plan(job, csv: "DestinationPhoneNumber\n+15551230001\n")
        let second = try plan(job, csv: "DestinationPhoneNumber\n+15551230002\n")
        let again = try plan(job, csv: "DestinationPhoneNumber\n+15551230001\n")
        let ids = [first, second, again].map { $0.report.summaries.first?.jobId ?? "" }
        #expect(ids[0].hasPrefix("job-"))
        #expect(ids[0] != ids[1])
        #expect(ids[0] == ids[2])
        let expected = JobIdentity.combined(
            JobIdentity.sha256Hex(of: Array(job.utf8)),
            JobIdentity.sha256Hex(of: Array("DestinationPhoneNumber\n+15551230001\n".utf8))
        )
        #expect(ids[0] == "job-" + expected.prefix(12))
    }

    @Test func settingsAfterContactsStillApply() throws {
        let job = """
            version: 1
            id: late
            contacts:
              csv: people.csv
            defaults:
              InstanceId: 12345678-1234-1234-1234-123456789012
              ContactFlowId: 846ec553-a005-41c0-8341-123456789012
              QueueId: q1
            dedupe: off
            """
        let planned = try plan(job, csv: "DestinationPhoneNumber\n+15551230001\n+15551230001\n")
        #expect(planned.failures == [])
        #expect(planned.rows.map(\.ref.line) == [2, 3])
        #expect(planned.rows.allSatisfy { body($0).contains(#""QueueId":"q1""#) })
    }
}
