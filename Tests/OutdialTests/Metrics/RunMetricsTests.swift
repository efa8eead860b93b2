import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import Outdial

/// `--metrics-file`: the textfile collector's file, rewritten while a run goes on (on an injected
/// clock) and at its end, in the Prometheus text format.
@Suite struct RunMetricsTests {
    static func line(job: String, _ status: RowStatus, row: Int, code: String? = nil, attempts: Int = 1) -> ResultLine {
        var line = ResultLine(
            ref: RowRef(job: job, source: "job.yaml", row: row, line: row + 3),
            destination: "+1555123\(1000 + row)",
            clientToken: "token-\(row)",
            status: status
        )
        line.attempts = attempts
        if let code { line.error = RowError(code: code, message: "refused") }
        if status == .skipped { line.reason = .limit }
        return line
    }

    /// The value of the sample `name{labels}` in `text`.
    static func value(_ text: String, _ sample: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1))
        }
        return nil
    }

    @Test func theFileIsRewrittenWhileTheRunGoesOnAndOnceMoreAtItsEnd() async throws {
        let folder = try TestFolder()
        let path = folder.path("outdial.prom")
        let clock = ManualClock()
        let metrics = RunMetrics(file: path, pushgateway: nil, interval: .seconds(5), clock: clock)

        #expect(metrics.start() == nil)
        var text = folder.read("outdial.prom")
        #expect(Self.value(text, "outdial_run_in_progress") == 1)
        #expect(!text.contains("outdial_rows_total"))

        await clock.sleepers(atLeast: 1)
        metrics.monitor.settled(Self.line(job: "nightly", .started, row: 0))
        metrics.monitor.settled(
            Self.line(job: "nightly", .failed, row: 1, code: "InvalidParameterException", attempts: 2)
        )
        clock.advance(by: .seconds(5))
        await clock.sleepers(atLeast: 1)
        text = folder.read("outdial.prom")
        #expect(Self.value(text, #"outdial_rows_total{job_id="nightly",status="started"}"#) == 1)
        #expect(Self.value(text, #"outdial_rows_total{job_id="nightly",status="failed"}"#) == 1)
        #expect(Self.value(text, #"outdial_errors_total{job_id="nightly",code="InvalidParameterException"}"#) == 1)
        #expect(Self.value(text, #"outdial_attempts_total{job_id="nightly"}"#) == 3)
        #expect(Self.value(text, "outdial_run_in_progress") == 1)
        #expect(Self.value(text, "outdial_last_success_timestamp_seconds") == nil)

        let warnings = await metrics.finish(exitCode: 1, at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(warnings.isEmpty)
        text = folder.read("outdial.prom")
        #expect(Self.value(text, "outdial_run_in_progress") == 0)
        #expect(Self.value(text, "outdial_run_exit_code") == 1)
        #expect(Self.value(text, "outdial_run_end_timestamp_seconds") == 1_800_000_000)
        // Some rows failed: no success to report.
        #expect(Self.value(text, "outdial_last_success_timestamp_seconds") == nil)
        #expect(ExpositionFormat.problems(in: text).isEmpty, "\(ExpositionFormat.problems(in: text))")
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["outdial.prom"])
    }

    @Test func aRunThatFailsKeepsTheLastSuccessOfAnEarlierRun() async throws {
        let folder = try TestFolder()
        let path = folder.path("outdial.prom")
        let first = RunMetrics(file: path, pushgateway: nil, interval: .seconds(5), clock: ManualClock())
        #expect(first.start() == nil)
        first.monitor.settled(Self.line(job: "nightly", .started, row: 0))
        _ = await first.finish(exitCode: 0, at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(Self.value(folder.read("outdial.prom"), "outdial_last_success_timestamp_seconds") == 1_800_000_000)

        let second = RunMetrics(file: path, pushgateway: nil, interval: .seconds(5), clock: ManualClock())
        #expect(second.start() == nil)
        // While it runs, and after it ended with an error, the earlier success is still there.
        #expect(Self.value(folder.read("outdial.prom"), "outdial_last_success_timestamp_seconds") == 1_800_000_000)
        second.monitor.settled(Self.line(job: "nightly", .failed, row: 0, code: "ThrottlingException"))
        _ = await second.finish(exitCode: 1, at: Date(timeIntervalSince1970: 1_800_086_400))
        let text = folder.read("outdial.prom")
        #expect(Self.value(text, "outdial_last_success_timestamp_seconds") == 1_800_000_000)
        #expect(Self.value(text, "outdial_run_end_timestamp_seconds") == 1_800_086_400)
    }

    @Test func aFileThatCannotBeWrittenIsSaidBeforeTheRunStarts() async throws {
        let folder = try TestFolder()
        let metrics = RunMetrics(
            file: folder.path("missing/outdial.prom"),
            pushgateway: nil,
            interval: .seconds(5),
            clock: ManualClock()
        )
        let problem = try #require(metrics.start())
        #expect(problem.contains("cannot write the metrics to \(folder.path("missing/outdial.prom"))"))
        #expect(problem.contains("No such file or directory"))
    }

    @Test func everyFigureFollowsThePrometheusTextFormat() throws {
        let monitor = RunMonitor()
        monitor.sending()
        monitor.throttled()
        monitor.settled(Self.line(job: "a", .started, row: 0, attempts: 2))
        monitor.settled(Self.line(job: "a", .skipped, row: 1, attempts: 0))
        monitor.settled(Self.line(job: "b/with \"quotes\"", .uncertain, row: 0, code: "Timeout", attempts: 3))
        var started = Self.line(job: "b/with \"quotes\"", .started, row: 1)
        started.outcome = .answered
        monitor.settled(started)
        let text = String(
            decoding: MetricsExposition.render(
                monitor.snapshot(),
                end: .init(exitCode: 0, at: 1_800_000_000),
                lastSuccess: 1_800_000_000
            ),
            as: UTF8.self
        )
        #expect(ExpositionFormat.problems(in: text).isEmpty, "\(ExpositionFormat.problems(in: text))\n\(text)")
        #expect(Self.value(text, #"outdial_rows_skipped_total{job_id="a",reason="limit"}"#) == 1)
        #expect(Self.value(text, #"outdial_errors_total{job_id="b/with \"quotes\"",code="Timeout"}"#) == 1)
        #expect(Self.value(text, #"outdial_call_outcomes_total{job_id="b/with \"quotes\"",outcome="answered"}"#) == 1)
        #expect(Self.value(text, "outdial_throttled_requests_total") == 1)
        #expect(Self.value(text, "outdial_last_success_timestamp_seconds") == 1_800_000_000)

        // promtool, when this machine has it (make deps installs Debian's prometheus as root).
        if let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = ["check", "metrics"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "promtool: \(said)")
            #expect(said.isEmpty, "promtool: \(said)")
        }
    }

    @Test func aJobIdThatIsNotAPlainPathSegmentIsSentBase64Encoded() {
        let gateway = Pushgateway(url: "http://gateway:9091/")
        #expect(
            gateway.groupURL(jobId: "nightly-2026.12")
                == "http://gateway:9091/metrics/job/outdial/job_id/nightly-2026.12"
        )
        #expect(gateway.groupURL(jobId: "a/b") == "http://gateway:9091/metrics/job/outdial/job_id@base64/YS9i")
    }
}
