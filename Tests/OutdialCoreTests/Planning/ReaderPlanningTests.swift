import Foundation
import Testing

@testable import OutdialCore

/// Job files planned end to end: the real reader, the validator, dedupe and the planner.
struct ReaderPlanningTests {
    func plan(_ names: [String], options: PlanningOptions = .init()) throws -> (
        report: PlanReport, events: [PlanEvent], failures: [String]
    ) {
        var planner = JobPlanner(options: options)
        var events: [PlanEvent] = []
        var failures: [String] = []
        let inputs = try names.map { JobInput(path: try Fixtures.path($0), source: $0) }
        let report = try planner.planAll(
            inputs,
            onEvent: { events.append($0) },
            onFailure: { failures += $0.diagnostics.map(\.description) }
        )
        return (report, events, failures)
    }

    func problems(_ events: [PlanEvent]) -> [String] {
        events.flatMap { event -> [String] in
            if case .rejected(_, let diagnostics) = event { return diagnostics.map(\.description) }
            return []
        }
    }

    @Test func specExampleWithSettingsAfterContacts() throws {
        let (report, events, failures) = try plan(["spec-example.yaml"])
        #expect(failures.isEmpty)
        #expect(report.exitCode == 0)
        #expect(report.summaries.first?.jobId == "reminders-2026-11-24")
        #expect(report.summaries.first?.pacing == Pacing(rate: 2, burst: 5, concurrency: 10))
        #expect(events.count == 2)
        guard case .planned(let second) = events.last else {
            Issue.record("expected a planned row")
            return
        }
        #expect(second.destination == "+15551230002")
        #expect(second.ref.line == 13)
        #expect(
            String(decoding: second.body, as: UTF8.self).hasSuffix(
                #""SourcePhoneNumber":"+15550100100","Attributes":{"campaign":"reminders-2026-11"}}"#
            )
        )
    }

    @Test func yamlScalarsStayText() throws {
        let (report, events, _) = try plan(["scalars.yaml"])
        // sha256sum scalars.yaml → a25838328402…
        #expect(report.summaries.first?.jobId == "scalars-a25838328402")
        #expect(report.exitCode == 1)
        guard case .planned(let first) = events.first else {
            Issue.record("expected a planned row")
            return
        }
        #expect(
            String(decoding: first.body, as: UTF8.self).hasSuffix(
                #""SourcePhoneNumber":"+15550100100","Attributes":{"optIn":"no","zip":"01234","on":"yes"},"RingTimeoutInSeconds":30}"#
            )
        )
        #expect(first.destination == "+15551230001")
        #expect(
            problems(events) == [
                "scalars.yaml:11:27: error: contacts[1].RingTimeoutInSeconds: found the quoted string \"30\"; expected a plain integer",
                "scalars.yaml:13:33: error: contacts[1].AnswerMachineDetectionConfig.AwaitAnswerMachinePrompt: found \"yes\"; expected true or false",
                "scalars.yaml:14:5: error: contacts[1].Unknown: unknown key \"Unknown\"; did you mean Name?",
            ]
        )
    }

    @Test func requestListThroughTheReader() throws {
        let (report, events, _) = try plan(["list.yaml"])
        #expect(report.summaries.first?.shape == .requestList)
        #expect(report.summaries.first?.jobId == "list-08a53d7b0a29")
        #expect(report.exitCode == 0)
        guard case .rejected(let dup, _) = events.last else {
            Issue.record("expected a duplicate")
            return
        }
        #expect(dup.status == .duplicate)
        #expect(dup.ref.line == 5)
        #expect(dup.duplicateOf?.row == 0)
    }

    @Test func dedupeAcrossFilesThroughTheReader() throws {
        let (report, events, _) = try plan(["first.json", "second.json"])
        #expect(report.counts == [.planned: 4, .invalid: 1, .duplicate: 2])
        #expect(report.exitCode == 1)
        #expect(report.summaries.map(\.jobId) == ["first-9e9fbd58e35c", "second-job"])
        // The reader's marks are the ones the tests' JSON stand-in gives.
        #expect(
            problems(events) == [
                "second.json:3:72: error: contacts[0].RingTimeoutInSeconds: found 99; expected an integer from 15 to 60"
            ]
        )
    }

    @Test func strictRefusesTheBatch() throws {
        let (report, _, _) = try plan(["second.json"], options: PlanningOptions(strict: true))
        #expect(report.exitCode == 2)
        #expect(report.countLines().last == "--strict: the batch is refused because some rows are invalid")
    }

    @Test func keyGivenTwiceAtTopLevelStopsTheFile() throws {
        let (report, events, failures) = try plan(["top-level-twice.yaml", "list.yaml"])
        #expect(report.exitCode == 2)
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("top-level-twice.yaml:3:1: error: ") == true)
        #expect(failures.first?.contains("version") == true)
        // The next file is still planned.
        #expect(events.count == 2)
    }

    @Test func theDemoJobShowsEveryStatus() throws {
        // jobs/reminders.yaml, the example in the repository, as a fixture copy is not kept:
        // the same rules are covered above; here the shipped file itself is planned.
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("jobs/reminders.yaml")
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        var planner = JobPlanner()
        var statuses: [RowStatus] = []
        let summary = try planner.plan(JobInput(path: url.path, source: "jobs/reminders.yaml")) { event in
            switch event {
            case .planned: statuses.append(.planned)
            case .rejected(let line, _): statuses.append(line.status)
            }
        }
        #expect(summary.jobId == "reminders-2026-11-24")
        #expect(statuses == [.planned, .planned, .planned, .planned, .planned, .planned, .invalid, .duplicate])
    }
}
