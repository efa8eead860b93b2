import Foundation
import Logging
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialClient

struct ExecutorTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// The wall-clock time every test run starts at: 2026-11-25T01:00:00.000Z.
    static let startDate = Date(timeIntervalSince1970: 1_795_568_400)

    /// An executor on `clock` (a fresh manual clock by default), rate unlimited, retries without
    /// delay unless configured, jitter 0.5.
    static func executor(
        _ sender: any ContactSender,
        journal: (any JournalRecording)? = nil,
        clock: ManualClock = ManualClock(),
        interrupt: InterruptSignal = InterruptSignal(),
        gates: [any AdmissionGate<ManualClock.Instant>] = [],
        configure: (inout ExecutorConfiguration) -> Void = { _ in }
    ) -> Executor<ManualClock> {
        var configuration = ExecutorConfiguration(concurrency: 4, rate: 0)
        configuration.retry = RetryPolicy(maxAttempts: 3, base: .zero, cap: .zero, unknownDelay: .zero)
        configure(&configuration)
        return Executor(
            configuration: configuration,
            sender: sender,
            journal: journal,
            interrupt: interrupt,
            gates: gates,
            clock: clock,
            wallClock: { startDate },
            random: { 0.5 },
            logger: logger
        )
    }

    /// After the first request, lets `count` more go, one every `interval`: waits until a row
    /// sleeps on its slot, moves the clock on, and waits for the request of that slot.
    static func releaseSlots(_ count: Int, every interval: Duration, clock: ManualClock, sender: ScriptedSender) async {
        await sender.calls(atLeast: 1)
        for step in 1 ... count {
            await clock.sleepers(atLeast: 1)
            clock.advance(by: interval)
            await sender.calls(atLeast: 1 + step)
        }
    }

    @Test(.timeLimit(.minutes(1))) func slidingWindowKeepsExactlyConcurrencyInFlight() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock, latency: .ms(10))
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock).run(Rows.make(40), into: sink)
        // Four requests at a time, each taking 10 ms: ten rounds.
        for round in 1 ... 10 {
            await clock.sleepers(atLeast: 4)
            #expect(sender.callCount == round * 4)
            clock.advance(by: .ms(10))
        }
        let result = await summary
        #expect(sender.maxInFlight == 4)
        #expect(sender.callTimes == (0 ..< 40).map { .ms($0 / 4 * 10) })
        #expect(Set(sink.lines.map(\.ref.row)) == Set(0 ..< 40))
        #expect(sink.lines.allSatisfy { $0.status == .started && $0.attempts == 1 && $0.ms == 42 })
        #expect(result.counts == [.started: 40])
        #expect(result.requests == 40)
        #expect(result.duration == 0.1)
        #expect(result.exitCode == 0)
    }

    @Test func startedLineCarriesContactAttemptsAndTheInjectedTime() async throws {
        let clock = ManualClock()
        clock.advance(by: .seconds(7))
        let sink = LineCollector()
        _ = await Self.executor(ScriptedSender(), clock: clock).run(Rows.make(1), into: sink)
        #expect(
            sink.text
                == #"{"job":"job-1","source":"calls.yaml","row":0,"line":3,"destination":"+15551000000","clientToken":"token-0","status":"started","contactId":"contact-0-1","attempts":1,"at":"2026-11-25T01:00:00.000Z","ms":42}"#
                + "\n"
        )
    }

    @Test(.timeLimit(.minutes(1))) func rateTwoBurstOneStartsRowKAtExactlyKTimesHalfASecond() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock) {
            $0.concurrency = 3
            $0.rate = 2
            $0.burst = 1
        }.run(Rows.make(8), into: sink)
        await Self.releaseSlots(7, every: .ms(500), clock: clock, sender: sender)
        let result = await summary
        #expect(sender.callTimes == (0 ..< 8).map { .ms($0 * 500) })
        #expect(result.counts == [.started: 8])
        // Rows started together may take their slots in either order; the times are exact.
        let at = sink.lines.compactMap(\.at).sorted()
        #expect(at == (0 ..< 8).map { "2026-11-25T01:00:0\($0 / 2).\($0 % 2 == 0 ? "000" : "500")Z" })
    }

    @Test(.timeLimit(.minutes(1))) func rowsWhoseSlotFallsAfterTheDeadlineAreSkippedWithoutWaiting() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock) {
            $0.concurrency = 10
            $0.rate = 2
            $0.burst = 1
            $0.deadline = Self.startDate.addingTimeInterval(2)
        }.run(Rows.make(10), into: sink)
        // Slots at 0, 0.5, 1 and 1.5 s come before the deadline; the six others fall at or after
        // it and are skipped at once.
        await Self.releaseSlots(3, every: .ms(500), clock: clock, sender: sender)
        let result = await summary
        #expect(sender.callTimes == [.zero, .ms(500), .ms(1000), .ms(1500)])
        #expect(result.counts == [.started: 4, .skipped: 6])
        #expect(result.skipped == [.deadline: 6])
        #expect(sink.lines.filter { $0.status == .skipped }.allSatisfy { $0.request != nil })
        #expect(clock.now.offset == .ms(1500))
    }

    @Test func deadlineInThePastSkipsEveryRow() async {
        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.executor(sender) {
            $0.deadline = Self.startDate.addingTimeInterval(-1)
        }.run(Rows.make(5), into: sink)
        #expect(sender.callCount == 0)
        #expect(sink.lines.count == 5)
        #expect(sink.lines.allSatisfy { $0.status == .skipped && $0.reason == .deadline && $0.request != nil })
        #expect(summary.exitCode == 1)
    }

    @Test(.timeLimit(.minutes(1))) func retryStoppedByTheDeadlineLeavesTheRowFailed() async {
        let clock = ManualClock()
        let sender = ScriptedSender([Rows.destination(0): [.serverError, .serverError]], clock: clock)
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock) {
            $0.rate = 1
            $0.burst = 1
            $0.deadline = Self.startDate.addingTimeInterval(0.5)
        }.run(Rows.make(1), into: sink)
        let result = await summary
        // The retry's slot (1 s) falls after the deadline: no second request, the row is failed.
        #expect(sender.callCount == 1)
        #expect(sink.lines[0].status == .failed)
        #expect(sink.lines[0].error?.code == "InternalServiceException")
        #expect(sink.lines[0].error?.retryable == true)
        #expect(sink.lines[0].attempts == 1)
        #expect(result.exitCode == 1)
        #expect(clock.now.offset == .zero)
    }

    @Test(.timeLimit(.minutes(1))) func backoffWaitsTheJitteredDelayOnTheClock() async {
        let clock = ManualClock()
        let sender = ScriptedSender([Rows.destination(0): [.serverError, .throttled]], clock: clock)
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock) {
            $0.retry = RetryPolicy(maxAttempts: 3, base: .ms(100), cap: .seconds(5))
        }.run(Rows.make(1), into: sink)
        // Jitter 0.5: 50 ms after the first attempt, 100 ms after the second.
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .ms(50))
        await sender.calls(atLeast: 2)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .ms(100))
        let result = await summary
        #expect(sender.callTimes == [.zero, .ms(50), .ms(150)])
        #expect(sink.lines[0].status == .started)
        #expect(sink.lines[0].attempts == 3)
        #expect(sink.lines[0].at == "2026-11-25T01:00:00.150Z")
        #expect(result.requests == 3)
    }

    @Test(.timeLimit(.minutes(1))) func aFailedRowSaysWhenItsLastAttemptWasSent() async {
        let clock = ManualClock()
        let sender = ScriptedSender(
            [Rows.destination(0): [.serverError, .serverError, .serverError]],
            clock: clock
        )
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock) {
            $0.retry = RetryPolicy(maxAttempts: 3, base: .ms(100), cap: .seconds(5))
        }.run(Rows.make(1), into: sink)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .ms(50))
        await sender.calls(atLeast: 2)
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .ms(100))
        _ = await summary
        // The report's timeline places errors by this time.
        #expect(sink.lines[0].status == .failed)
        #expect(sink.lines[0].attempts == 3)
        #expect(sink.lines[0].at == "2026-11-25T01:00:00.150Z")
    }

    @Test func retryableOutcomesAreRetriedWithAttemptCounts() async {
        let sender = ScriptedSender([
            Rows.destination(0): [.throttled, .throttled],
            Rows.destination(1): [.serverError],
            Rows.destination(2): [.refused],
            Rows.destination(3): [.throttled, .serverError, .throttled],
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
        #expect(exhausted?.error == .throttled)
        #expect(exhausted?.request == Rows.make(4)[3].body)
        #expect(summary.requests == 3 + 2 + 2 + 3)
        #expect(summary.exitCode == 1)
    }

    @Test func unknownTwiceThenStartedIsStartedWithThreeAttempts() async {
        let sender = ScriptedSender([Rows.destination(0): [.timeout, .timeout]])
        let sink = LineCollector()
        _ = await Self.executor(sender).run(Rows.make(1), into: sink)
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].status == .started)
        #expect(sink.lines[0].attempts == 3)
    }

    @Test func unknownOnEveryAttemptIsUncertain() async {
        let sender = ScriptedSender([Rows.destination(0): Array(repeating: .timeout, count: 3)])
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
        let sender = ScriptedSender([Rows.destination(0): [.timeout, .invalidNumber]])
        let sink = LineCollector()
        _ = await Self.executor(sender).run(Rows.make(1), into: sink)
        #expect(sink.lines[0].status == .uncertain)
        #expect(sink.lines[0].error?.code == "InvalidParameterException")
    }

    @Test func unknownThenCredentialsRefusedStaysUncertainAndAborts() async {
        // A timed-out first attempt may have started the call; a 403 on the retry must not make
        // the row `failed` (which the next run or a replay would send again).
        let sender = ScriptedSender([Rows.destination(0): [.timeout, .denied]])
        let sink = LineCollector()
        let summary = await Self.executor(sender).run(Rows.make(1), into: sink)
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].status == .uncertain)
        #expect(sink.lines[0].error?.code == "UnrecognizedClientException")
        #expect(sink.lines[0].request == Rows.make(1)[0].body)
        #expect(summary.abort?.code == "UnrecognizedClientException")
    }

    @Test func nonRetryableFailureIsFailedAfterOneAttempt() async {
        let sender = ScriptedSender([Rows.destination(0): [.invalidNumber]])
        let sink = LineCollector()
        _ = await Self.executor(sender).run(Rows.make(1), into: sink)
        let line = sink.lines[0]
        #expect(line.status == .failed)
        #expect(line.attempts == 1)
        #expect(line.error == .invalidNumber)
        #expect(sender.callCount == 1)
    }

    @Test func aFailureToSendThatCannotHelpIsNotRetried() async {
        let tls = RowError(code: "TLSError", message: "certificate refused", retryable: false)
        let sender = ScriptedSender([Rows.destination(0): [.notSent(tls, .permanent)]])
        let sink = LineCollector()
        _ = await Self.executor(sender).run(Rows.make(1), into: sink)
        #expect(sender.callCount == 1)
        #expect(sink.lines[0].status == .failed)
        #expect(sink.lines[0].error == tls)
    }

    @Test func haltRuleStopsAfterConsecutiveSameCodeFailures() async {
        let scripts = Dictionary(
            uniqueKeysWithValues: (0 ..< 10).map { (Rows.destination($0), [AttemptOutcome.invalidNumber]) }
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
            Rows.destination(0): [.invalidNumber],
            Rows.destination(1): [.invalidNumber],
            Rows.destination(2): [.failed(other, .permanent)],
            Rows.destination(3): [.invalidNumber],
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
        let sender = ScriptedSender([Rows.destination(0): [.denied]])
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
                (Rows.destination($0), Array(repeating: AttemptOutcome.refused, count: 3))
            }
        )
        let sender = ScriptedSender(scripts)
        let sink = LineCollector()
        let summary = await Self.executor(sender) {
            $0.concurrency = 1
            $0.unreachableAfter = 2
        }.run(Rows.make(6), into: sink)
        #expect(sender.callCount == 6)
        #expect(sink.line(row: 0)?.error?.code == "ConnectionRefused")
        #expect(sink.line(row: 0)?.attempts == 3)
        #expect(summary.counts == [.failed: 2, .skipped: 4])
        #expect(summary.abort?.code == "EndpointUnreachable")
        #expect(summary.exitCode == 3)
    }

    @Test(.timeLimit(.minutes(1))) func interruptStopsRowsWaitingForTheirSlotWithoutTimePassing() async {
        let clock = ManualClock()
        let interrupt = InterruptSignal()
        let sender = ScriptedSender(clock: clock) { _, _, _ in interrupt.trigger() }
        let summary = await Self.executor(sender, clock: clock, interrupt: interrupt) {
            $0.concurrency = 5
            $0.rate = 1
            $0.burst = 1
        }.run(Rows.make(10), into: LineCollector())
        #expect(sender.callCount == 1)
        #expect(summary.counts == [.started: 1, .skipped: 9])
        #expect(summary.skipped == [.interrupted: 9])
        #expect(summary.interrupted)
        #expect(clock.now.offset == .zero)
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func interruptedWhileWaitingForTheSlotWakesTheWaiters() async {
        let clock = ManualClock()
        let interrupt = InterruptSignal()
        let sender = ScriptedSender(clock: clock)
        async let summary = Self.executor(sender, clock: clock, interrupt: interrupt) {
            $0.concurrency = 3
            $0.rate = 1
            $0.burst = 1
        }.run(Rows.make(6), into: LineCollector())
        await clock.sleepers(atLeast: 2)
        interrupt.trigger(name: "SIGINT")
        let result = await summary
        #expect(sender.callCount == 1)
        #expect(result.skipped == [.interrupted: 5])
        #expect(clock.now.offset == .zero)
    }

    @Test func interruptLetsInFlightRowsFinishAndSkipsTheRest() async {
        let interrupt = InterruptSignal()
        let sender = ScriptedSender { _, _, call in
            if call == 3 { interrupt.trigger() }
        }
        let sink = LineCollector()
        let summary = await Self.executor(sender, interrupt: interrupt) { $0.concurrency = 1 }
            .run(Rows.make(8), into: sink)
        #expect(sender.callCount == 3)
        #expect(summary.counts == [.started: 3, .skipped: 5])
        #expect(summary.skipped == [.interrupted: 5])
        #expect(summary.interrupted)
        #expect(summary.exitCode == 1)
    }

    @Test(.timeLimit(.minutes(1))) func backoffInterruptedByATriggerReturnsAtOnce() async {
        let clock = ManualClock()
        let interrupt = InterruptSignal()
        let sender = ScriptedSender([Rows.destination(0): [.serverError]], clock: clock)
        let sink = LineCollector()
        async let summary = Self.executor(sender, clock: clock, interrupt: interrupt) {
            $0.retry = RetryPolicy(maxAttempts: 3, base: .seconds(4), cap: .seconds(4))
        }.run(Rows.make(1), into: sink)
        await clock.sleepers(atLeast: 1)
        interrupt.trigger()
        _ = await summary
        #expect(sender.callCount == 1)
        #expect(sink.lines[0].status == .failed)
        #expect(sink.lines[0].error == .serverError)
        #expect(sink.lines[0].attempts == 1)
        #expect(clock.now.offset == .zero)
    }

    @Test(.timeLimit(.minutes(1))) func secondInterruptSettlesHangingRowsAtOnce() async {
        let interrupt = InterruptSignal()
        let sender = HangingSender()
        let sink = LineCollector()
        async let summary = Self.executor(sender, interrupt: interrupt) { $0.concurrency = 3 }
            .run(Rows.make(5), into: sink)
        await sender.calls(atLeast: 3)
        interrupt.trigger(name: "SIGINT")
        interrupt.trigger(name: "SIGINT")
        let result = await summary
        #expect(sink.lines.count == 5)
        #expect(sender.callCount == 3)
        let hung = sink.lines.filter { $0.status == .uncertain }
        #expect(hung.count == 3)
        #expect(hung.allSatisfy { $0.error?.code == "Cancelled" && $0.request != nil && $0.attempts == 1 })
        #expect(Set(hung.map(\.ref.row)) == [0, 1, 2])
        #expect(result.skipped == [.interrupted: 2])
        #expect(result.interrupted)
        #expect(result.exitCode == 1)
    }

    @Test(.timeLimit(.minutes(1))) func cancellingTheRunSettlesHangingRowsAndSkipsTheRest() async {
        let sender = HangingSender()
        let sink = LineCollector()
        let executor = Self.executor(sender) { $0.concurrency = 2 }
        let run = Task { await executor.run(Rows.make(4), into: sink) }
        await sender.calls(atLeast: 2)
        run.cancel()
        let summary = await run.value
        #expect(sink.lines.count == 4)
        #expect(summary.counts == [.uncertain: 2, .skipped: 2])
        #expect(summary.skipped == [.interrupted: 2])
        #expect(summary.interrupted)
    }

    @Test func anInterruptBeforeTheRunSkipsEveryRow() async {
        let interrupt = InterruptSignal()
        interrupt.trigger()
        let sender = ScriptedSender()
        let summary = await Self.executor(sender, interrupt: interrupt).run(Rows.make(3), into: LineCollector())
        #expect(sender.callCount == 0)
        #expect(summary.skipped == [.interrupted: 3])
    }

    @Test func aGateOfTheCallersOwnIsAskedBeforeEveryAttempt() async {
        let refused = RowError(code: "Refused", message: "refused by a test gate")
        let gate = TestGate { row, _ in row.ref.row == 1 ? .skip(.halted, refused) : nil }
        let retried = TestGate { row, attempt in row.ref.row == 0 && attempt > 1 ? .skip(.halted, refused) : nil }
        let sender = ScriptedSender([Rows.destination(0): [.serverError]])
        let sink = LineCollector()
        let summary = await Self.executor(sender, gates: [gate, retried]).run(Rows.make(3), into: sink)
        // Row 1 is refused before sending; row 0's retry is refused: it stays failed, not lost.
        #expect(sink.line(row: 1)?.status == .skipped)
        #expect(sink.line(row: 1)?.reason == .halted)
        #expect(sink.line(row: 1)?.error?.code == "Refused")
        #expect(sink.line(row: 0)?.status == .failed)
        #expect(sink.line(row: 0)?.attempts == 1)
        #expect(sink.line(row: 2)?.status == .started)
        #expect(summary.requests == 2)
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

    @Test func unwritableRecordsSendNothingAndAbort() async {
        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.executor(sender, journal: BrokenJournal()).run(Rows.make(6), into: sink)
        #expect(sender.callCount == 0)
        #expect(sink.lines.count == 6)
        #expect(summary.skipped == [.halted: 6])
        #expect(summary.abort?.code == "LedgerWriteFailed")
        #expect(summary.abort?.message.contains("/state/outdial.sqlite") == true)
        #expect(summary.exitCode == 3)
    }
}
