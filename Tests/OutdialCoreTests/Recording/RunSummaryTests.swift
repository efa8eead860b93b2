import Testing

@testable import OutdialCore

struct RunSummaryTests {
    static func summary(_ lines: [(RowStatus, SkipReason?)]) -> RunSummary {
        var summary = RunSummary()
        for (index, (status, reason)) in lines.enumerated() {
            var line = ResultLine(
                ref: RowRef(job: "j", source: "a.yaml", row: index, line: 1),
                destination: "+1",
                clientToken: "t",
                status: status
            )
            line.reason = reason
            summary.count(line)
        }
        return summary
    }

    @Test func exitCodes() {
        #expect(Self.summary([(.started, nil), (.skipped, .alreadyStarted), (.duplicate, nil)]).exitCode == 0)
        #expect(Self.summary([(.started, nil), (.skipped, .deadline)]).exitCode == 1)
        #expect(Self.summary([(.started, nil), (.failed, nil)]).exitCode == 1)
        #expect(Self.summary([(.invalid, nil)]).exitCode == 1)
        #expect(Self.summary([(.uncertain, nil)]).exitCode == 1)
        #expect(Self.summary([(.planned, nil)]).exitCode == 0)
        var aborted = Self.summary([(.started, nil)])
        aborted.abort = RowError(code: "Halted", message: "20 rows in a row were refused")
        #expect(aborted.exitCode == 3)
    }

    @Test func textAndJSON() {
        var summary = Self.summary([(.started, nil), (.started, nil), (.failed, nil), (.skipped, .deadline)])
        summary.requests = 4
        summary.duration = 2.54
        summary.sendingDuration = 2
        #expect(
            summary.text() == """
                outdial: 4 rows in 2.5 s: 2 started, 1 failed, 1 skipped (1 deadline)
                outdial: 4 requests, 2.00 requests/s over 2.0 s

                """
        )
        #expect(
            String(decoding: summary.json(), as: UTF8.self)
                == #"{"rows":4,"counts":{"started":2,"failed":1,"skipped":1},"skipped":{"deadline":1},"requests":4,"durationSeconds":2.54,"sendingSeconds":2.0,"rate":2.0,"interrupted":false,"exitCode":1}"#
                + "\n"
        )
    }

    @Test func abortIsNamed() {
        var summary = Self.summary([(.failed, nil)])
        summary.abort = RowError(code: "UnrecognizedClientException", message: "The security token is invalid")
        #expect(
            summary.text().hasSuffix("outdial: aborted: UnrecognizedClientException: The security token is invalid\n")
        )
        #expect(
            String(decoding: summary.json(), as: UTF8.self).contains(
                #""abort":{"code":"UnrecognizedClientException","message":"The security token is invalid"},"exitCode":3}"#
            )
        )
    }

    @Test func progressLine() {
        #expect(
            ProgressReporter.line(done: 120, total: 1000, elapsed: 60, errors: 3)
                == "120/1000  2.0/s  ETA 7m20s  3 errors"
        )
        #expect(ProgressReporter.line(done: 1000, total: 1000, elapsed: 500, errors: 0) == "1000/1000  2.0/s")
        #expect(ProgressReporter.line(done: 0, total: 10, elapsed: 0, errors: 1) == "0/10  0.0/s  1 error")
    }
}
