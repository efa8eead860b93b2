import Foundation
import Testing

@testable import OutdialCore

struct JobPlannerTests {
    /// `first.json` then `second.json` through one planner, as one run.
    func planBoth() throws -> (
        first: (summary: JobSummary, events: [PlanEvent]), second: (summary: JobSummary, events: [PlanEvent])
    ) {
        var planner = JobPlanner()
        let first = try TestDocument.plan(try Fixtures.job("first.json"), name: "jobs/first.json", planner: &planner)
        let second = try TestDocument.plan(try Fixtures.job("second.json"), name: "jobs/second.json", planner: &planner)
        return (first, second)
    }

    static func body(_ event: PlanEvent) -> String? {
        guard case .planned(let row) = event else { return nil }
        return String(decoding: row.body, as: UTF8.self)
    }

    static func status(_ event: PlanEvent) -> RowStatus {
        switch event {
        case .planned: return .planned
        case .rejected(let line, _): return line.status
        }
    }

    @Test func jobIdIsFileNameAndHashPrefix() throws {
        // sha256sum Tests/OutdialCoreTests/Resources/jobs/first.json → 9e9fbd58e35c49ae…
        let (first, second) = try planBoth()
        #expect(first.summary.jobId == "first-9e9fbd58e35c")
        #expect(second.summary.jobId == "second-job")
        #expect(JobIdentity.derivedJobId(source: "-", sha256Hex: "abcdef0123456789") == "stdin-abcdef012345")
        #expect(
            JobIdentity.derivedJobId(source: "a/b.c/job.v2.yaml", sha256Hex: "abcdef0123456789")
                == "job.v2-abcdef012345"
        )
    }

    @Test func defaultsMergeWithRows() throws {
        let events = try planBoth().first.events
        #expect(events.count == 3)
        // Attributes merge key by key, the row wins; other fields come from defaults.
        #expect(
            Self.body(events[0])
                == #"{"Name":"Jane Doe","DestinationPhoneNumber":"+15551230001","ContactFlowId":"846ec553-a005-41c0-8341-123456789012","InstanceId":"12345678-1234-1234-1234-123456789012","ClientToken":"64f646062cf74ff1e319c2005ac58e6087214d2d7ddfff76eb4aa3ac5a7e4bdb","SourcePhoneNumber":"+15550100100","Attributes":{"campaign":"reminders-2026-11","lang":"es","slot":"10:00"}}"#
        )
        // A null removes the default attribute.
        #expect(Self.body(events[1])?.contains(#""Attributes":{"campaign":"reminders-2026-11"}}"#) == true)
        #expect(Self.body(events[1])?.contains(#""DestinationPhoneNumber":"+15551230002""#) == true)
        // A null removes the default field.
        #expect(Self.body(events[2])?.contains("SourcePhoneNumber") == false)
        #expect(Self.body(events[2])?.contains(#""QueueId":"q-1""#) == true)
    }

    @Test func dedupeAcrossFilesAndInvalidRowsDoNotTakePart() throws {
        let (first, second) = try planBoth()
        #expect(first.events.map(Self.status) == [.planned, .planned, .planned])
        #expect(second.events.map(Self.status) == [.invalid, .duplicate, .planned, .duplicate])
        guard case .rejected(let dup, let notes) = second.events[1], case .rejected(let dup2, _) = second.events[3]
        else {
            Issue.record("expected duplicates")
            return
        }
        #expect(notes.isEmpty)
        #expect(dup.duplicateOf?.source == "jobs/first.json")
        #expect(dup.duplicateOf?.row == 0)
        #expect(dup.destination == "+15551230001")
        #expect(dup2.duplicateOf?.source == "jobs/second.json")
        #expect(dup2.duplicateOf?.row == 2)
        #expect(second.summary.counts == [.invalid: 1, .duplicate: 2, .planned: 1])
    }

    @Test func headerAfterContactsAppliesToEveryRow() throws {
        let second = try planBoth().second
        #expect(second.summary.pacing == Pacing(rate: 1.5, burst: 3, concurrency: 4))
        guard case .planned(let row) = second.events[2] else {
            Issue.record("expected a planned row")
            return
        }
        // ARNs: the ids are taken from them, the instance ARN's region is kept.
        #expect(row.instanceId == "12345678-1234-1234-1234-123456789012")
        #expect(row.regionFromARN == "eu-west-2")
        #expect(row.ref == RowRef(job: "second-job", source: "jobs/second.json", row: 2, line: 5))
        #expect(
            String(decoding: row.body, as: UTF8.self)
                == #"{"DestinationPhoneNumber":"+15551230009","ContactFlowId":"846ec553-a005-41c0-8341-123456789012","InstanceId":"12345678-1234-1234-1234-123456789012","ClientToken":"8fdac67792f51ba65ca731a7a304fb1a41af8735bcc4e30844cf6018c230cef2","SourcePhoneNumber":"+15550100100"}"#
        )
    }

    @Test func clientTokenIsStable() throws {
        let once = try planBoth()
        let again = try planBoth()
        let tokens = { (events: [PlanEvent]) in
            events.compactMap { event -> String? in
                if case .planned(let row) = event { return row.clientToken }
                return nil
            }
        }
        #expect(tokens(once.first.events) == tokens(again.first.events))
        #expect(tokens(once.first.events).count == 3)
        #expect(Set(tokens(once.first.events)).count == 3)
        #expect(tokens(once.first.events).first == "64f646062cf74ff1e319c2005ac58e6087214d2d7ddfff76eb4aa3ac5a7e4bdb")
        // A row's own token is kept.
        #expect(
            try RowHarness.body(#"{"DestinationPhoneNumber": "+15551230001", "ClientToken": "mine-1"}"#)?.contains(
                #""ClientToken":"mine-1""#
            ) == true
        )
    }

    @Test func dedupeOffAndCustomKey() throws {
        let rows =
            #"[{"DestinationPhoneNumber": "+15551230001", "Name": "a"}, {"DestinationPhoneNumber": "+15551230001", "Name": "b"}]"#
        for (dedupe, expected) in [
            (#""off""#, [RowStatus.planned, .planned]),
            (#"off"#, [RowStatus.planned, .planned]),
            (#"{"key": ["DestinationPhoneNumber", "Name"]}"#, [RowStatus.planned, .planned]),
            (#"{"key": ["DestinationPhoneNumber"]}"#, [RowStatus.planned, .duplicate]),
        ] {
            var planner = JobPlanner()
            let text =
                #"{"version": 1, "dedupe": \#(dedupe), "defaults": \#(RowHarness.defaults), "contacts": \#(rows)}"#
            if dedupe == #""off""# {
                // Quoted "off" is a string, not the switch.
                #expect(throws: JobFileError.self) { try TestDocument.plan(text, name: "d.json", planner: &planner) }
                continue
            }
            let events = try TestDocument.plan(text, name: "d.json", planner: &planner).events
            #expect(events.map(Self.status) == expected)
        }
        var planner = JobPlanner()
        let off =
            #"{"version": 1, "id": "j", "dedupe": off, "defaults": \#(RowHarness.defaults), "contacts": \#(rows)}"#
        let events = try TestDocument.plan(off, name: "d.json", planner: &planner).events
        guard case .planned(let row) = events[1] else {
            Issue.record("expected a planned row")
            return
        }
        // With dedupe off the token comes from the job id and the row index.
        #expect(row.clientToken == JobIdentity.clientToken(jobId: "j", keyText: Array("row 1".utf8)))
    }

    @Test func requestListShape() throws {
        var planner = JobPlanner()
        let text =
            #"[{"DestinationPhoneNumber": "+15551230001", "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q"}, {"DestinationPhoneNumber": "x"}]"#
        let (summary, events) = try TestDocument.plan(text, name: "calls.json", planner: &planner)
        #expect(summary.shape == .requestList)
        #expect(events.map(Self.status) == [.planned, .invalid])
        guard case .rejected(_, let diagnostics) = events[1] else { return }
        #expect(
            diagnostics.map(\.description).first
                == "calls.json:1:130: error: [1].DestinationPhoneNumber: found \"x\"; expected an E.164 number: +, country code and number, 2 to 15 digits (spaces, -, ., ( and ) are ignored; no country code is assumed)"
        )
    }

    @Test func singleRequestShape() throws {
        var planner = JobPlanner()
        let text = """
            {"x-note": "ignored",
             "InstanceId": "arn:aws:connect:us-west-2:123456789012:instance/abc",
             "ContactFlowId": "flow", "DestinationPhoneNumber": "+15551230001", "SourcePhoneNumber": "+15550100100"}
            """
        let (summary, events) = try TestDocument.plan(text, name: "call.json", planner: &planner)
        #expect(summary.shape == .singleRequest)
        #expect(summary.count(.planned) == 1)
        guard case .planned(let row) = events.first else {
            Issue.record("expected a planned row")
            return
        }
        #expect(row.regionFromARN == "us-west-2")
        #expect(row.ref.row == 0)
        #expect(
            String(decoding: row.body, as: UTF8.self).hasPrefix(
                #"{"DestinationPhoneNumber":"+15551230001","ContactFlowId":"flow","InstanceId":"abc","#
            )
        )
        // In a single request, problems carry no row prefix.
        var again = JobPlanner()
        let bad = #"{"DestinationPhoneNumber": "+15551230001", "Nmae": "x"}"#
        let problems = try TestDocument.plan(bad, name: "call.json", planner: &again).events.flatMap {
            event -> [String] in
            if case .rejected(_, let d) = event { return d.map(\.description) }
            return []
        }
        #expect(
            problems == [
                "call.json:1:44: error: Nmae: unknown key \"Nmae\"; did you mean Name?",
                "call.json:1:1: error: ContactFlowId: missing; required in every request (in the row or in defaults)",
                "call.json:1:1: error: InstanceId: missing; required in every request (in the row or in defaults)",
                "call.json:1:1: error: SourcePhoneNumber: neither SourcePhoneNumber nor QueueId is given; one of the two is required",
            ]
        )
    }

    @Test func aFileNameWithControlCharactersIsPrintedOnOneLine() throws {
        // A file dropped with a newline and a terminal escape in its name: each problem stays one
        // line, and the escape cannot recolour the terminal.
        var planner = JobPlanner()
        let bad = #"{"DestinationPhoneNumber": "+15551230001", "Nmae": "x"}"#
        let name = "night\n\u{1B}[31mjob.json"
        let problems = try TestDocument.plan(bad, name: name, planner: &planner).events.flatMap {
            event -> [String] in
            if case .rejected(_, let d) = event { return d.map(\.description) }
            return []
        }
        #expect(
            problems.first == #"night\n\u{1B}[31mjob.json:1:44: error: Nmae: unknown key "Nmae"; did you mean Name?"#
        )
        #expect(problems.allSatisfy { !$0.contains("\n") && !$0.contains("\u{1B}") })
    }

    @Test func badInstanceARN() throws {
        #expect(
            try RowHarness.problems(#"{"DestinationPhoneNumber": "+15551230001", "InstanceId": "arn:aws:s3:::bucket"}"#)
                == [
                    "t.json:4:60: error: contacts[0].InstanceId: found \"arn:aws:s3:::bucket\"; expected an instance id or an ARN arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID"
                ]
        )
        #expect(ResourceARN("arn:aws:connect:us-east-1:1:instance/i/contact-flow/f")?.contactFlowId == "f")
        #expect(ResourceARN("arn:aws:connect:us-east-1:1:instance/i/queue/q") == nil)
    }

    @Test func invalidRowCarriesTheRowAsRead() throws {
        guard
            case .rejected(let line, _)? = try RowHarness.events(
                row: #"{"DestinationPhoneNumber": "+1555", "RingTimeoutInSeconds": 5, "Attributes": {"ok": true}}"#
            ).first
        else {
            Issue.record("expected a rejected row")
            return
        }
        #expect(
            line.request.map { String(decoding: $0, as: UTF8.self) }
                == #"{"InstanceId":"12345678-1234-1234-1234-123456789012","ContactFlowId":"846ec553-a005-41c0-8341-123456789012","SourcePhoneNumber":"+15550100100","DestinationPhoneNumber":"+1555","RingTimeoutInSeconds":5,"Attributes":{"ok":true}}"#
        )
        #expect(line.destination == "+1555")
        #expect(line.clientToken == "")
    }

    @Test func planRequestValidatesAgain() throws {
        var planner = JobPlanner()
        let ref = RowRef(job: "j-1", source: "results.ndjson", row: 7, line: 3)
        let good = try TestDocument.parse(
            #"{"DestinationPhoneNumber": "+15551230001", "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q", "ClientToken": "t-7"}"#
        )
        guard case .planned(let row) = planner.planRequest(good, ref: ref) else {
            Issue.record("expected a planned row")
            return
        }
        #expect(row.ref == ref)
        #expect(row.clientToken == "t-7")
        let bad = try TestDocument.parse(
            #"{"DestinationPhoneNumber": "555", "InstanceId": "i", "ContactFlowId": "f", "QueueId": "q"}"#
        )
        guard case .rejected(let line, let diagnostics) = planner.planRequest(bad, ref: ref) else {
            Issue.record("expected a rejected row")
            return
        }
        #expect(line.status == .invalid)
        #expect(line.ref == ref)
        #expect(diagnostics.map(\.code) == ["InvalidDestinationPhoneNumber"])
        // The same row again is a duplicate of the first.
        guard
            case .rejected(let dup, _) = planner.planRequest(
                good,
                ref: RowRef(job: "j-1", source: "results.ndjson", row: 8, line: 4)
            )
        else {
            Issue.record("expected a duplicate")
            return
        }
        #expect(dup.status == .duplicate)
        #expect(dup.duplicateOf?.row == 7)
    }
}
