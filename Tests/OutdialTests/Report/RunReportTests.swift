import Foundation
import Logging
import OutdialCore
import Testing

@testable import Outdial

/// The numbers of `outdial report`: the latest line of a row wins, counts per job, minutes.
@Suite struct RunReportTests {
    static func line(
        job: String = "night",
        _ row: Int,
        _ status: String,
        _ extra: String = "",
        destination: String = "+15551230001"
    ) -> String {
        #"{"job":"\#(job)","source":"jobs/night.yaml","row":\#(row),"line":\#(row + 10),"destination":"\#(destination)","clientToken":"t\#(row)","status":"\#(status)"\#(extra)}"#
    }

    static func started(_ row: Int, at: String, outcome: String? = nil, job: String = "night") -> String {
        line(
            job: job,
            row,
            "started",
            #","contactId":"c\#(row)","attempts":1,"at":"\#(at)","ms":80"#
                + (outcome.map { #","outcome":"\#($0)""# } ?? "")
        )
    }

    static func failed(_ row: Int, code: String, message: String = "refused", at: String? = nil) -> String {
        line(
            row,
            "failed",
            (at.map { #","at":"\#($0)""# } ?? "")
                + #","error":{"code":"\#(code)","message":"\#(message)","http":400,"retryable":false}"#
        )
    }

    /// Runs `Runner.report` on `text` as one results file; the warnings it logged come back too.
    static func report(_ text: String) throws -> (report: RunReport, page: String, messages: [String]) {
        let folder = try TestFolder()
        let path = try folder.write("results.ndjson", text)
        let messages = MessageLog.keeping()
        let runner = Runner(messages: messages, logger: Logger(label: "test"))
        let outcome = runner.report([path], output: nil, generatedAt: Date(timeIntervalSince1970: 1_764_000_000))
        #expect(outcome.exitCode == 0)
        return (
            outcome.report, outcome.page ?? "",
            messages.lines.map { $0.replacingOccurrences(of: path, with: "results.ndjson") }
        )
    }

    @Test func totalsCountEachRowOnceAsItsLatestLineSays() throws {
        let text = [
            Self.failed(0, code: "ThrottlingException", at: "2026-11-25T19:00:05.000Z"),
            Self.started(1, at: "2026-11-25T19:00:06.000Z", outcome: "answered"),
            Self.line(2, "skipped", #","reason":"deadline","timezone":"America/New_York""#),
            Self.line(3, "invalid", #","error":{"code":"InvalidDestinationPhoneNumber","message":"bad"}"#),
            Self.line(4, "duplicate", #","duplicateOf":{"source":"jobs/night.yaml","row":1}"#),
            // A replay started row 0 later: it counts as started, not failed.
            Self.started(0, at: "2026-11-25T19:03:00.000Z", outcome: "no-answer"),
            Self.started(5, at: "2026-11-25T19:03:30.000Z"),
        ].joined(separator: "\n")
        let (report, _, messages) = try Self.report(text)
        #expect(messages.isEmpty)
        #expect(report.lines == 7)
        #expect(report.rows == 6)
        #expect(report.jobs.map(\.job) == ["night"])
        let job = try #require(report.jobs.first)
        #expect(job.statuses.counts == ["started": 3, "skipped": 1, "invalid": 1, "duplicate": 1])
        #expect(job.outcomes.counts == ["answered": 1, "no-answer": 1, "not followed": 1])
        #expect(job.reasons.counts == ["deadline": 1])
        #expect(job.timezones.counts == ["America/New_York": 1])
        #expect(job.errors.map(\.code) == ["InvalidDestinationPhoneNumber"])
        #expect(job.sources == ["jobs/night.yaml"])
    }

    @Test func rowsAreGroupedPerJobInFirstSeenOrder() throws {
        let text = [
            Self.started(0, at: "2026-11-25T19:00:00.000Z", job: "b"),
            Self.started(0, at: "2026-11-25T19:00:00.000Z", job: "a"),
            Self.started(1, at: "2026-11-25T19:00:01.000Z", job: "b"),
        ].joined(separator: "\n")
        let (report, _, _) = try Self.report(text)
        #expect(report.jobs.map(\.job) == ["b", "a"])
        #expect(report.jobs.map(\.rows) == [2, 1])
        #expect(report.statuses.counts == ["started": 3])
    }

    @Test func startsAndErrorsFallInTheMinuteTheyWereSentIncludingEmptyMinutes() throws {
        let text = [
            Self.started(0, at: "2026-11-25T19:00:00.000Z"),
            Self.started(1, at: "2026-11-25T19:00:59.999Z"),
            Self.failed(2, code: "AccessDeniedException", at: "2026-11-25T19:01:00.000Z"),
            Self.line(3, "uncertain", #","at":"2026-11-25T19:03:10.000Z","error":{"code":"Timeout","message":"t"}"#),
            Self.started(4, at: "2026-11-25T19:03:59.000Z"),
            // Written before failed lines carried `at`: counted, not placed.
            Self.failed(5, code: "AccessDeniedException"),
        ].joined(separator: "\n")
        let (report, _, _) = try Self.report(text)
        let timeline = try #require(report.jobs.first?.timeline)
        #expect(timeline.minutes == 1)
        #expect(timeline.buckets.map(\.starts) == [2, 0, 0, 1])
        #expect(timeline.buckets.map(\.errors) == [0, 1, 0, 1])
        #expect(timeline.buckets.first?.start == RFC3339Timestamp.date(from: "2026-11-25T19:00:00.000Z"))
        #expect(timeline.untimedErrors == 1)
        #expect(timeline.peak == 2)
    }

    @Test func aLongSpanGetsWiderBucketsNotThousandsOfBars() throws {
        let text = [
            Self.started(0, at: "2026-11-25T19:00:00.000Z"),
            Self.started(1, at: "2026-11-27T18:59:00.000Z"),
        ].joined(separator: "\n")
        let (report, _, _) = try Self.report(text)
        let timeline = try #require(report.jobs.first?.timeline)
        // Two days: 2,880 minutes, so 10-minute buckets (288 of them).
        #expect(timeline.minutes == 10)
        #expect(timeline.buckets.count == 288)
        #expect(timeline.buckets.map(\.starts).reduce(0, +) == 2)
    }

    @Test func errorsAreGroupedByCodeWithTheFirstRowsAsExamplesNumbersMasked() throws {
        let text =
            (0 ..< 5).map {
                Self.failed($0, code: "InvalidParameterException", message: "number +15551230001 is not valid")
            } + [Self.failed(9, code: "AccessDeniedException")]
        let (report, page, _) = try Self.report(text.joined(separator: "\n"))
        let errors = try #require(report.jobs.first?.errors)
        #expect(errors.map(\.code) == ["InvalidParameterException", "AccessDeniedException"])
        #expect(errors.map(\.count) == [5, 1])
        #expect(errors[0].examples.map(\.row) == [0, 1, 2])
        #expect(errors[0].examples[0].place == "jobs/night.yaml:10")
        #expect(errors[0].examples[0].destination == "+1555***0001")
        #expect(errors[0].examples[0].message == "number +1555***0001 is not valid")
        #expect(!page.contains("15551230001"))
        #expect(page.contains("and 2 more"))
    }

    @Test func aNumberAsWrittenIsMaskedInTheMessageToo() throws {
        let written = "+1 (212) 555-019912345"
        let text = Self.line(
            0,
            "invalid",
            #","error":{"code":"InvalidDestinationPhoneNumber","message":"found \"\#(written)\"; expected E.164"}"#,
            destination: written
        )
        let (report, page, _) = try Self.report(text)
        let example = try #require(report.jobs.first?.errors.first?.examples.first)
        #expect(example.destination == "+1 (2***2345")
        #expect(example.message == #"found "+1 (2***2345"; expected E.164"#)
        #expect(!page.contains("555-0199"))
    }

    @Test func malformedLinesAreCountedAndSaidNeverTrapped() throws {
        let text = [
            Self.started(0, at: "2026-11-25T19:00:00.000Z"),
            #"{"hello":1}"#,
            "not json at all \u{1}",
            #"{"job":"night","source":"jobs/night.yaml","row":-4,"status":"started"}"#,
            #"{"job":"night","sou"#,
        ].joined(separator: "\n")
        let (report, page, messages) = try Self.report(text)
        #expect(report.rows == 1)
        #expect(report.ignored.count == 4)
        #expect(messages.count == 4)
        #expect(messages[0].hasPrefix("results.ndjson:2:1: warning: not a results line"))
        #expect(page.contains(#"<div class="warning" id="ignored" data-count="4">"#))
    }

    @Test func anUnreadableResultsFileExits3AndAnOutputNamingAnInputExits2() throws {
        let folder = try TestFolder()
        let runner = Runner(messages: .keeping(), logger: Logger(label: "test"))
        let missing = runner.report([folder.path("missing.ndjson")], output: nil, generatedAt: Date())
        #expect(missing.exitCode == 3)
        let results = try folder.write("r.ndjson", Self.started(0, at: "2026-11-25T19:00:00.000Z"))
        let conflict = runner.report([results], output: results, generatedAt: Date())
        #expect(conflict.exitCode == 2)
        #expect(try String(contentsOfFile: results, encoding: .utf8).hasPrefix("{"))
        let written = runner.report([results], output: folder.path("report.html"), generatedAt: Date())
        #expect(written.exitCode == 0)
        #expect(try String(contentsOfFile: folder.path("report.html"), encoding: .utf8).hasPrefix("<!doctype html>"))
    }
}
