import Foundation
import Testing

@testable import OutdialCore

/// One pass over each job file: the hash, the header and the rows all come from the same read, and
/// rows are handed on only when nothing later in the file can change them.
struct ReadOnceTests {
    static let defaults = """
        defaults:
          InstanceId: i-1
          ContactFlowId: f-1
          SourcePhoneNumber: "+15550100100"

        """
    static let contacts = """
        contacts:
          - DestinationPhoneNumber: "+15551230001"
          - DestinationPhoneNumber: "+15551230001"
          - DestinationPhoneNumber: "+15551230002"

        """

    /// Plans `text` as the file `name`, through the real reader.
    func plan(_ text: String, name: String = "job.yaml") throws -> (
        events: [PlanEvent], summary: JobSummary?, failures: [String]
    ) {
        let files = try TemporaryFiles()
        defer { files.remove() }
        let path = try files.write(name, text)
        var planner = JobPlanner()
        var events: [PlanEvent] = []
        var failures: [String] = []
        let report = try planner.planAll(
            [JobInput(path: path, source: name)],
            onEvent: { events.append($0) },
            onFailure: { failures += $0.diagnostics.map(\.description) }
        )
        return (events, report.summaries.first, failures)
    }

    func statuses(_ events: [PlanEvent]) -> [String] {
        events.map { event in
            switch event {
            case .planned(let row): return "planned \(row.ref.job) \(row.clientToken.prefix(8))"
            case .rejected(let line, _): return "\(line.status.rawValue) \(line.ref.job)"
            }
        }
    }

    @Test func lateDefaultsAndDedupeApplyToEveryRow() throws {
        let late = try plan("version: 1\nid: late\n" + Self.contacts + Self.defaults + "dedupe: off\n")
        #expect(late.failures.isEmpty)
        #expect(late.events.count == 3)
        #expect(late.events.allSatisfy { if case .planned = $0 { true } else { false } })
        // The same file with the keys first gives the same rows.
        let early = try plan("version: 1\nid: late\n" + Self.defaults + "dedupe: off\n" + Self.contacts)
        #expect(statuses(late.events) == statuses(early.events))
    }

    @Test func lateIdNamesTheJobAndItsTokens() throws {
        let late = try plan("version: 1\n" + Self.defaults + Self.contacts + "id: named-late\n")
        #expect(late.summary?.jobId == "named-late")
        #expect(
            statuses(late.events)
                == statuses(try plan("version: 1\nid: named-late\n" + Self.defaults + Self.contacts).events)
        )
        #expect(
            statuses(late.events) == [
                "planned named-late \(JobIdentity.clientToken(jobId: "named-late", keyText: Array(#"["i-1","+15551230001"]"#.utf8)).prefix(8))",
                "duplicate named-late",
                "planned named-late \(JobIdentity.clientToken(jobId: "named-late", keyText: Array(#"["i-1","+15551230002"]"#.utf8)).prefix(8))",
            ]
        )
    }

    @Test func withoutIdTheJobIdIsTheHashOfTheWholeFile() throws {
        let text = "version: 1\n" + Self.defaults + Self.contacts + "# a comment at the end is hashed too\n"
        let (events, summary, _) = try plan(text, name: "calls.yaml")
        let jobId = "calls-" + TestDocument.sha256Hex(of: text).prefix(12)
        #expect(summary?.jobId == jobId)
        #expect(
            statuses(events).map { $0.split(separator: " ")[1] } == [
                Substring(jobId), Substring(jobId), Substring(jobId),
            ]
        )
    }

    @Test func noDiagnosticAfterRowsWentOut() throws {
        // A wrong version after contacts: the rows were held, so nothing but the error comes out.
        let (events, _, failures) = try plan("id: x\n" + Self.defaults + Self.contacts + "version: 2\n")
        #expect(events.isEmpty)
        #expect(failures == ["job.yaml:10:10: error: version: found \"2\"; expected 1"])
    }

    @Test func lateAllowPrefixesLetsAHeldRowThrough() throws {
        let text =
            "version: 1\nid: p\n" + Self.defaults + "contacts:\n  - DestinationPhoneNumber: \"+447700900123\"\n"
            + "allowPrefixes: [\"+447\"]\n"
        let (events, _, failures) = try plan(text)
        #expect(failures.isEmpty)
        #expect(statuses(events).first?.hasPrefix("planned p") == true)
    }

    @Test func aRowKeyAfterRowsWentOutIsReported() throws {
        // The one case a diagnostic follows rows: more than `heldRowLimit` rows before a key that
        // was left out of the header.
        var text = "version: 1\nid: long\n" + Self.defaults + "contacts:\n"
        for i in 0 ..< JobFileVisitor.heldRowLimit { text += "  - DestinationPhoneNumber: \"+1555\(1_000_000 + i)\"\n" }
        text += "dedupe: off\n"
        let (events, _, failures) = try plan(text)
        #expect(events.count == JobFileVisitor.heldRowLimit)
        #expect(
            failures == [
                "job.yaml:\(8 + JobFileVisitor.heldRowLimit):1: error: dedupe: found after contacts, when the first "
                    + "\(JobFileVisitor.heldRowLimit) rows had gone out without it; move it before contacts"
            ]
        )
    }

    @Test func rowsStreamWhenTheHeaderIsComplete() throws {
        let text = RowHarness.text(
            row: #"{"DestinationPhoneNumber": "+15551230001"}"#,
            extra: #", "pacing": {"rate": 3}"#
        ).replacingOccurrences(
            of: #"{"version": 1,"#,
            with: #"{"version": 1, "id": "s", "dedupe": off, "allowPrefixes": [],"#
        )
        var planner = JobPlanner()
        var sawEventBeforeEnd = false
        var ended = false
        let summary = try planner.plan(
            JobInput(path: "t.json"),
            read: { visitor in
                try TestDocument.feed(try TestDocument.parse(text), into: &visitor)
                ended = true
            },
            onEvent: { _ in if !ended { sawEventBeforeEnd = true } }
        )
        #expect(sawEventBeforeEnd)
        #expect(summary.pacing.rate == 3)
        #expect(summary.count(.planned) == 1)
    }

    @Test func aLongFileStreamsAfterABoundedNumberOfRows() throws {
        // id and defaults first, no dedupe: rows go out once `heldRowLimit` of them wait.
        var text = "version: 1\nid: long\n" + Self.defaults + "contacts:\n"
        let rows = JobFileVisitor.heldRowLimit + 10
        for i in 0 ..< rows { text += "  - DestinationPhoneNumber: \"+1555\(1_000_000 + i)\"\n" }
        let root = try TestDocument.parse(try yamlAsJSON(rows: rows))
        var planner = JobPlanner()
        var eventsBeforeEnd = 0
        var ended = false
        let summary = try planner.plan(
            JobInput(path: "long.json"),
            read: { visitor in
                try TestDocument.feed(root, into: &visitor)
                ended = true
            },
            onEvent: { _ in if !ended { eventsBeforeEnd += 1 } }
        )
        #expect(eventsBeforeEnd == rows)
        #expect(summary.count(.planned) == rows)
        #expect(try plan(text).events.count == rows)
    }

    /// The same long job as JSON text, for `TestDocument`.
    func yamlAsJSON(rows: Int) throws -> String {
        var text =
            #"{"version": 1, "id": "long", "defaults": {"InstanceId": "i-1", "ContactFlowId": "f-1", "SourcePhoneNumber": "+15550100100"}, "contacts": ["#
        text += (0 ..< rows).map { #"{"DestinationPhoneNumber": "+1555\#(1_000_000 + $0)"}"# }.joined(separator: ",")
        return text + "]}"
    }

    @Test func yamlAndJSONOfTheSameJobPlanTheSameBytes() throws {
        let yaml = try plan("version: 1\nid: same\n" + Self.defaults + Self.contacts, name: "a.yaml")
        let json = try plan(
            #"{"version": 1, "id": "same", "defaults": {"InstanceId": "i-1", "ContactFlowId": "f-1", "SourcePhoneNumber": "+15550100100"}, "contacts": [{"DestinationPhoneNumber": "+15551230001"}, {"DestinationPhoneNumber": "+15551230001"}, {"DestinationPhoneNumber": "+15551230002"}]}"#,
            name: "a.json"
        )
        func bodies(_ events: [PlanEvent]) -> [String] {
            events.compactMap {
                if case .planned(let row) = $0 { String(decoding: row.body, as: UTF8.self) } else { nil }
            }
        }
        #expect(bodies(yaml.events) == bodies(json.events))
        #expect(bodies(yaml.events).count == 2)
    }
}
