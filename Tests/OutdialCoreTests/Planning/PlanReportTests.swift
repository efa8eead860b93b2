import Foundation
import Testing

@testable import OutdialCore

struct PlanReportTests {
    /// What `outdial plan` writes for first.json and second.json, parsed back.
    @Test func planLinesParseBack() throws {
        var planner = JobPlanner()
        var lines: [[String: Any]] = []
        for name in ["first.json", "second.json"] {
            _ = try TestDocument.plan(try Fixtures.job(name), name: "jobs/" + name, planner: &planner).events.map {
                event in
                let bytes: [UInt8]
                switch event {
                case .planned(let row): bytes = row.resultLine().ndjson()
                case .rejected(let line, _): bytes = line.ndjson()
                }
                #expect(bytes.last == UInt8(ascii: "\n"))
                #expect(bytes.dropLast().contains(UInt8(ascii: "\n")) == false)
                let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
                lines.append(object ?? [:])
            }
        }
        #expect(lines.count == 7)
        #expect(
            lines.map { $0["status"] as? String } == [
                "planned", "planned", "planned", "invalid", "duplicate", "planned", "duplicate",
            ]
        )
        let first = lines[0]
        #expect(first["job"] as? String == "first-9e9fbd58e35c")
        #expect(first["source"] as? String == "jobs/first.json")
        #expect(first["row"] as? Int == 0)
        #expect(first["line"] as? Int == 10)
        #expect(first["destination"] as? String == "+15551230001")
        #expect(first["clientToken"] as? String == "64f646062cf74ff1e319c2005ac58e6087214d2d7ddfff76eb4aa3ac5a7e4bdb")
        let request = first["request"] as? [String: Any]
        #expect(
            request?["ClientToken"] as? String == "64f646062cf74ff1e319c2005ac58e6087214d2d7ddfff76eb4aa3ac5a7e4bdb"
        )
        #expect(
            (request?["Attributes"] as? [String: String]) == [
                "campaign": "reminders-2026-11", "lang": "es", "slot": "10:00",
            ]
        )

        let invalid = lines[3]
        let error = invalid["error"] as? [String: Any]
        #expect(error?["code"] as? String == "OutOfRange")
        #expect(
            error?["message"] as? String
                == "contacts[0].RingTimeoutInSeconds: found 99; expected an integer from 15 to 60"
        )
        #expect(error?["at"] as? String == "jobs/second.json:3:72")
        #expect((invalid["request"] as? [String: Any])?["RingTimeoutInSeconds"] as? Int == 99)

        let duplicate = lines[4]
        #expect((duplicate["duplicateOf"] as? [String: Any])?["source"] as? String == "jobs/first.json")
        #expect((duplicate["duplicateOf"] as? [String: Any])?["row"] as? Int == 0)
        #expect(duplicate["request"] == nil)
    }

    @Test func exitCodes() throws {
        var clean = PlanReport()
        clean.summaries = [summary([.planned: 2, .duplicate: 1])]
        #expect(clean.exitCode == 0)

        var someInvalid = PlanReport()
        someInvalid.summaries = [summary([.planned: 2, .invalid: 1])]
        #expect(someInvalid.exitCode == 1)

        var strict = PlanReport(strict: true)
        strict.summaries = someInvalid.summaries
        #expect(strict.exitCode == 2)

        var broken = PlanReport()
        broken.summaries = clean.summaries
        broken.failures = [JobFileError([])]
        #expect(broken.exitCode == 2)
    }

    @Test func planAllGoesOnAfterABrokenFileAndCounts() throws {
        var planner = JobPlanner()
        // A file that does not exist fails; the next one is still planned.
        let missing = JobInput(path: "/nonexistent/outdial/job.yaml", source: "job.yaml")
        var failures: [String] = []
        let report = try planner.planAll(
            [missing],
            onEvent: { _ in },
            onFailure: { failures += $0.diagnostics.map(\.description) }
        )
        #expect(report.exitCode == 2)
        #expect(
            failures == [
                "job.yaml:1:1: error: cannot open the file: no such file or directory"
            ]
        )
        #expect(report.countLines() == ["job.yaml: not planned: 1 structural problem"])
    }

    @Test func countLines() {
        var report = PlanReport()
        report.summaries = [summary([.planned: 6, .invalid: 1, .duplicate: 1]), summary([.planned: 1])]
        #expect(
            report.countLines(plannedWord: "valid") == [
                "jobs/a.yaml (job a-1): 8 rows: 6 valid, 1 invalid, 1 duplicate",
                "jobs/a.yaml (job a-1): 1 row: 1 valid, 0 invalid, 0 duplicate",
                "total: 9 rows: 7 valid, 1 invalid, 1 duplicate",
            ]
        )
    }

    func summary(_ counts: [RowStatus: Int]) -> JobSummary {
        var summary = JobSummary(jobId: "a-1", source: "jobs/a.yaml", shape: .job)
        summary.counts = counts
        return summary
    }
}
