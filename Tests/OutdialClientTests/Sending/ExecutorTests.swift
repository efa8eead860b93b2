import Foundation
import Logging
import OutdialCore
import Testing

@testable import OutdialClient

struct ExecutorTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func executor(
        _ sender: ScriptedSender,
        journal: (any JournalRecording)? = nil,
        configure: (inout ExecutorConfiguration) -> Void = { _ in },
        interrupt: InterruptSignal = InterruptSignal()
    ) -> Executor {
        var configuration = ExecutorConfiguration(concurrency: 4, rate: 0)
        configuration.retry = RetryPolicy(
            maxAttempts: 3,
            base: .milliseconds(1),
            cap: .milliseconds(2),
            unknownDelay: .milliseconds(1)
        )
        configure(&configuration)
        return Executor(
            configuration: configuration,
            sender: sender,
            journal: journal,
            interrupt: interrupt,
            logger: logger
        )
    }

    @Test func slidingWindowNeverExceedsConcurrency() async {
        let sender = ScriptedSender(latency: .milliseconds(2))
        let sink = LineCollector()
        let summary = await Self.executor(sender).run(Rows.make(40), into: sink)
        #expect(sender.maxInFlight == 4)
        #expect(sink.lines.count == 40)
        #expect(Set(sink.lines.map(\.ref.row)) == Set(0 ..< 40))
        #expect(sink.lines.allSatisfy { $0.status == .started && $0.attempts == 1 && $0.ms == 42 })
        #expect(summary.counts == [.started: 40])
        #expect(summary.requests == 40)
        #expect(summary.exitCode == 0)
    }

    @Test func startedLineCarriesContactAttemptsAndTime() async throws {
        let sink = LineCollector()
        _ = await Self.executor(ScriptedSender()).run(Rows.make(1), into: sink)
        let text = sink.text
        #expect(
            text.hasPrefix(
                #"{"job":"job-1","source":"calls.yaml","row":0,"line":3,"destination":"+15551000000","clientToken":"token-0","status":"started","contactId":"contact-0-1","attempts":1,"at":""#
            )
        )
        let at = try #require(sink.lines.first?.at)
        #expect(at.count == 24 && at.hasSuffix("Z"))
        #expect(text.hasSuffix(#","ms":42}"# + "\n"))
    }

    @Test func retryableOutcomesAreRetriedWithAttemptCounts() async {
        let sender = ScriptedSender([
            Rows.destination(0): [.failed(.throttled), .failed(.throttled)],
            Rows.destination(1): [.failed(.serverError)],
            Rows.destination(2): [.notSent(.refused)],
            Rows.destination(3): [.failed(.throttled), .failed(.serverError), .failed(.throttled)],
        ])
        let sink = LineCollector()
        let summary = await Self.executor(sender).run(Rows.make(4), into: sink)
        #expect(sink.line(row: 0)?.status == .started)
        #expect(sink.line(row: 0)?.attempts == 3)
        #expect(sink.line(row: 1)?.attempts == 2)
        #expect(sink.line(row: 2)?.attempts == 2)
        let exhausted = sink.line(row: 3)
        #expect(exhausted?.status == .failed)
        #expect(exhausted?.attempts == 3)
        #expect(exhausted?.error?.code == "TooManyRequestsException")
        #expect(exhausted?.error?.http == 429)
        #expect(exhausted?.error?.retryable == true)
        #expect(exhausted?.request == Rows.make(4)[3].body)
        #expect(summary.requests == 3 + 2 + 2 + 3)
        #expect(summary.exitCode == 1)
    }

    @Test func unknownTwiceThenStartedIsStartedWithThreeAttempts() async {
        let sender = ScriptedSender([Rows.destination(0): [.unknown(.timeout), .unknown(.timeout)]])
        let sink = LineCollector()
        _ = await Self.executor(sender).run(Rows.make(1), into: sink)
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].status == .started)
        #expect(sink.lines[0].attempts == 3)
    }

    @Test func unknownOnEveryAttemptIsUncertain() async {
        let sender = ScriptedSender([Rows.destination(0): Array(repeating: .unknown(.timeout), count: 3)])
        let sink = LineCollector()
        let summary = await Self.executor(sender).run(Rows.make(1), into: sink)
        let line = sink.lines[0]
        #expect(line.status == .uncertain)
        #expect(line.error?.code == "Timeout")
        #expect(line.request == Rows.make(1)[0].body)
        #expect(sender.callCount == 3)
        #expect(summary.exitCode == 1)
    }

    @Test func unknownThenRefusedStaysUncertain() async {
        let sender = ScriptedSender([Rows.destination(0): [.unknown(.timeout), .failed(.invalidNumber)]])
        let sink = LineCollector()
        _ = await Self.executor(sender).run(Rows.make(1), into: sink)
        #expect(sink.lines[0].status == .uncertain)
        #expect(sink.lines[0].error?.code == "InvalidParameterException")
    }

    @Test func nonRetryableFailureIsFailedAfterOneAttempt() async {
        let sender = ScriptedSender([Rows.destination(0): [.failed(.invalidNumber)]])
        let sink = LineCollector()
        _ = await Self.executor(sender).run(Rows.make(1), into: sink)
        let line = sink.lines[0]
        #expect(line.status == .failed)
        #expect(line.attempts == 1)
        #expect(line.error == .invalidNumber)
        #expect(sender.callCount == 1)
    }

    @Test func haltRuleStopsAfterConsecutiveSameCodeFailures() async {
        let scripts = Dictionary(
            uniqueKeysWithValues: (0 ..< 10).map { (Rows.destination($0), [AttemptOutcome.failed(.invalidNumber)]) }
        )
        let sender = ScriptedSender(scripts)
        let sink = LineCollector()
        let summary = await Self.executor(sender) {
            $0.concurrency = 1
            $0.haltAfter = 3
        }.run(Rows.make(10), into: sink)
        #expect(sender.callCount == 3)
        #expect(sink.lines.count == 10)
        #expect(summary.counts == [.failed: 3, .skipped: 7])
        #expect(summary.skipped == [.halted: 7])
        #expect(sink.lines.filter { $0.status == .skipped }.allSatisfy { $0.request != nil })
        #expect(summary.abort?.code == "Halted")
        #expect(summary.exitCode == 3)
    }

    @Test func differentCodesDoNotTripTheHaltRule() async {
        let other = RowError(code: "DestinationNotAllowedException", message: "no", http: 403, retryable: false)
        let sender = ScriptedSender([
            Rows.destination(0): [.failed(.invalidNumber)],
            Rows.destination(1): [.failed(.invalidNumber)],
            Rows.destination(2): [.failed(other)],
            Rows.destination(3): [.failed(.invalidNumber)],
        ])
        let summary = await Self.executor(sender) {
            $0.concurrency = 1
            $0.haltAfter = 3
        }.run(Rows.make(5), into: LineCollector())
        #expect(summary.abort == nil)
        #expect(summary.counts == [.failed: 4, .started: 1])
        #expect(summary.exitCode == 1)
    }

    @Test func fatalOutcomeAbortsAtOnce() async {
        let sender = ScriptedSender([Rows.destination(0): [.fatal(.denied)]])
        let sink = LineCollector()
        let summary = await Self.executor(sender) { $0.concurrency = 1 }.run(Rows.make(5), into: sink)
        #expect(sender.callCount == 1)
        #expect(sink.line(row: 0)?.status == .failed)
        #expect(sink.line(row: 0)?.error?.code == "UnrecognizedClientException")
        #expect(summary.skipped == [.halted: 4])
        #expect(summary.abort == .denied)
        #expect(summary.exitCode == 3)
    }

    @Test func unreachableEndpointAborts() async {
        let scripts = Dictionary(
            uniqueKeysWithValues: (0 ..< 6).map {
                (Rows.destination($0), Array(repeating: AttemptOutcome.notSent(.refused), count: 3))
            }
        )
        let sender = ScriptedSender(scripts)
        let sink = LineCollector()
        let summary = await Self.executor(sender) {
            $0.concurrency = 1
            $0.unreachableAfter = 2
        }.run(Rows.make(6), into: sink)
        #expect(sender.callCount == 6)
        #expect(sink.line(row: 0)?.error?.code == "ConnectionError")
        #expect(sink.line(row: 0)?.attempts == 3)
        #expect(summary.counts == [.failed: 2, .skipped: 4])
        #expect(summary.abort?.code == "EndpointUnreachable")
        #expect(summary.exitCode == 3)
    }

    @Test func deadlineInThePastSkipsEveryRow() async {
        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.executor(sender) {
            $0.deadline = Date(timeIntervalSinceNow: -1)
        }.run(Rows.make(5), into: sink)
        #expect(sender.callCount == 0)
        #expect(sink.lines.count == 5)
        #expect(sink.lines.allSatisfy { $0.status == .skipped && $0.reason == .deadline && $0.request != nil })
        #expect(summary.exitCode == 1)
    }

    @Test func rowsWhoseSlotFallsAfterTheDeadlineAreSkippedWithoutWaiting() async {
        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.executor(sender) {
            $0.concurrency = 40
            $0.rate = 2
            $0.burst = 1
            $0.deadline = Date(timeIntervalSinceNow: 4)
        }.run(Rows.make(40), into: sink)
        // Slots at 0, 0.5, ... 3.5 s come before the deadline (fewer on a slow machine); the
        // other rows' slots fall after it, and the run does not wait for them (40 slots take 20 s).
        #expect((1 ... 8).contains(sender.callCount))
        #expect(summary.counts[.started] == sender.callCount)
        #expect(summary.skipped == [.deadline: 40 - sender.callCount])
        #expect(summary.duration < 12)
    }

    @Test func interruptStopsRowsWaitingForTheirSlot() async {
        let interrupt = InterruptSignal()
        let sender = ScriptedSender { _, _, _ in interrupt.trigger() }
        let summary = await Self.executor(
            sender,
            configure: {
                $0.concurrency = 5
                $0.rate = 1
                $0.burst = 1
            },
            interrupt: interrupt
        ).run(Rows.make(10), into: LineCollector())
        #expect(sender.callCount == 1)
        #expect(summary.counts == [.started: 1, .skipped: 9])
        #expect(summary.skipped == [.interrupted: 9])
        // Waiting for every slot would take 9 s; an interrupt stops the waiting at once.
        #expect(summary.duration < 8)
    }

    @Test func interruptLetsInFlightRowsFinishAndSkipsTheRest() async {
        let interrupt = InterruptSignal()
        let sender = ScriptedSender { _, _, call in
            if call == 3 { interrupt.trigger() }
        }
        let sink = LineCollector()
        let summary = await Self.executor(sender, configure: { $0.concurrency = 1 }, interrupt: interrupt)
            .run(Rows.make(8), into: sink)
        #expect(sender.callCount == 3)
        #expect(summary.counts == [.started: 3, .skipped: 5])
        #expect(summary.skipped == [.interrupted: 5])
        #expect(summary.interrupted)
        #expect(summary.exitCode == 1)
    }

    @Test func dryRunSendsNothingAndPlansEveryRow() async {
        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.executor(sender, journal: BrokenJournal()) { $0.dryRun = true }
            .run(Rows.make(3), into: sink)
        #expect(sender.callCount == 0)
        #expect(sink.lines.map(\.status) == [.planned, .planned, .planned])
        #expect(sink.lines.allSatisfy { $0.request != nil })
        #expect(summary.exitCode == 0)
    }

    @Test func settledLinesAreWrittenAndCounted() async {
        var invalid = ResultLine(
            ref: RowRef(job: "job-1", source: "calls.yaml", row: 9, line: 30),
            destination: "12",
            clientToken: "token-9",
            status: .invalid
        )
        invalid.error = RowError(code: "InvalidDestinationPhoneNumber", message: "too short", at: "calls.yaml:30:18")
        let sink = LineCollector()
        let summary = await Self.executor(ScriptedSender()).run(Rows.make(2), settled: [invalid], into: sink)
        #expect(sink.lines.first?.status == .invalid)
        #expect(summary.counts == [.invalid: 1, .started: 2])
        #expect(summary.exitCode == 1)
    }

    @Test func unwritableJournalSendsNothingAndAborts() async {
        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.executor(sender, journal: BrokenJournal()).run(Rows.make(6), into: sink)
        #expect(sender.callCount == 0)
        #expect(sink.lines.count == 6)
        #expect(summary.skipped == [.halted: 6])
        #expect(summary.abort?.code == "JournalWriteFailed")
        #expect(summary.exitCode == 3)
    }

    @Test func throttledAnswersLowerTheRate() async {
        let bucket = TokenBucket(rate: 10, burst: 5)
        await bucket.throttled()
        #expect(await bucket.currentRate == 7)
        await bucket.succeeded()
        #expect(abs(await bucket.currentRate - 7.5) < 1e-9)
    }
}
