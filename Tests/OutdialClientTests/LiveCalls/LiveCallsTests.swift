import Foundation
import OutdialBase
import OutdialCore
import Synchronization
import Testing

@testable import OutdialClient

/// A stand-in for `DescribeContact` on the manual clock: each call lasts `seconds` (by destination,
/// default 10) from its start, then ends as `records` says (answered by default); it keeps the
/// most calls that were live at one instant, as the service would see them.
final class ScriptedCalls: CallWatcher, Sendable {
    private struct State {
        var ends: [String: Duration] = [:]
        var starts: [String: Duration] = [:]
        var observations = 0
    }

    private let state = Mutex(State())
    let clock: ManualClock
    let seconds: [String: Int]
    let records: [String: CallRecord]
    let denied: Bool

    init(clock: ManualClock, seconds: [String: Int] = [:], records: [String: CallRecord] = [:], denied: Bool = false) {
        self.clock = clock
        self.seconds = seconds
        self.records = records
        self.denied = denied
    }

    var observations: Int { state.withLock { $0.observations } }

    /// The most calls live at one instant (a call is live from its start to its end).
    var peakLive: Int {
        state.withLock { state in
            let events = state.starts.flatMap { id, start in [(start, 1), (state.ends[id] ?? .seconds(1_000_000), -1)] }
            var live = 0
            var peak = 0
            for (_, change) in events.sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }) {
                live += change
                peak = max(peak, live)
            }
            return peak
        }
    }

    func end(_ call: LiveCall) async -> Bool { true }

    func observe(_ call: LiveCall) async -> CallObservation {
        if denied {
            state.withLock { $0.observations += 1 }
            return .notAllowed(RowError(code: "AccessDeniedException", message: "not authorized", http: 403))
        }
        let now = clock.now.offset
        let start = Duration.seconds(call.startedAt.timeIntervalSince(ExecutorTests.startDate))
        let length = Duration.seconds(seconds[call.row.destination] ?? 10)
        return state.withLock { state in
            state.observations += 1
            state.starts[call.contactId] = start
            guard now >= start + length else { return .observed(CallRecord(initiatedAt: call.startedAt)) }
            state.ends[call.contactId] = start + length
            var record = records[call.row.destination] ?? CallRecord(connectedAt: call.startedAt)
            record.initiatedAt = call.startedAt
            record.endedAt = call.startedAt.addingTimeInterval(Double((seconds[call.row.destination] ?? 10)))
            return .observed(record)
        }
    }
}

struct LiveCallsTests {
    /// Runs `executor` over `rows`, moving the manual clock on in steps of `step` while anything
    /// sleeps on it, until the run ends.
    static func drive(
        _ executor: Executor<ManualClock>,
        _ rows: [PlannedRow],
        clock: ManualClock,
        step: Duration = .milliseconds(100),
        interrupt: (@Sendable (Duration) -> Void)? = nil
    ) async -> (RunSummary, LineCollector) {
        let sink = LineCollector()
        let done = Atomic<Bool>(false)
        async let summary: RunSummary = {
            let summary = await executor.run(rows, into: sink)
            done.store(true, ordering: .releasing)
            return summary
        }()
        while !done.load(ordering: .acquiring) {
            if clock.sleeperCount > 0 {
                clock.advance(by: step)
                interrupt?(clock.now.offset)
            }
            await Task.yield()
        }
        return (await summary, sink)
    }

    static func executor(
        _ sender: ScriptedSender,
        watcher: ScriptedCalls,
        clock: ManualClock,
        interrupt: InterruptSignal = InterruptSignal(),
        configure: (inout ExecutorConfiguration) -> Void
    ) -> Executor<ManualClock> {
        var configuration = ExecutorConfiguration(concurrency: 4, rate: 0)
        configuration.retry = RetryPolicy(maxAttempts: 1)
        configure(&configuration)
        return Executor(
            configuration: configuration,
            sender: sender,
            journal: nil,
            interrupt: interrupt,
            watcher: watcher,
            clock: clock,
            wallClock: { ExecutorTests.startDate },
            random: { 0.5 },
            logger: ExecutorTests.logger
        )
    }

    @Test(.timeLimit(.minutes(1))) func noMoreThanMaxActiveCallsAreLiveAtOnce() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let calls = ScriptedCalls(clock: clock)
        let (summary, sink) = await Self.drive(
            Self.executor(sender, watcher: calls, clock: clock) { $0.maxActiveCalls = 2 },
            Rows.make(6),
            clock: clock
        )

        #expect(summary.counts == [.started: 6])
        #expect(calls.peakLive == 2)
        // Three rounds of two ten-second calls: each round starts once the last one was seen ended.
        let starts = sender.callTimes.sorted()
        #expect(starts.filter { $0 < .seconds(10) }.count == 2)
        #expect(starts.filter { $0 < .seconds(20) }.count == 4)
        // Pacing only: the lines do not wait for the calls.
        #expect(sink.lines.allSatisfy { $0.outcome == nil })
    }

    @Test(.timeLimit(.minutes(1))) func withoutThePacingEveryRowStartsAtOnce() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let calls = ScriptedCalls(clock: clock)
        let (summary, _) = await Self.drive(
            Self.executor(sender, watcher: calls, clock: clock) { $0.maxActiveCalls = 0 },
            Rows.make(6),
            clock: clock
        )

        #expect(summary.counts == [.started: 6])
        #expect(sender.callTimes == Array(repeating: .zero, count: 6))
        #expect(calls.observations == 0)
    }

    @Test(.timeLimit(.minutes(1))) func followedCallsWriteTheirLineWhenTheyEndWithTheOutcome() async throws {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let voicemail = Rows.destination(1)
        let busy = Rows.destination(2)
        let calls = ScriptedCalls(
            clock: clock,
            seconds: [Rows.destination(0): 30, voicemail: 20, busy: 1],
            records: [
                voicemail: CallRecord(
                    connectedAt: ExecutorTests.startDate,
                    disconnectReason: "CUSTOMER_DISCONNECT",
                    amd: "VOICEMAIL_BEEP"
                ),
                busy: CallRecord(disconnectReason: "TELECOM_BUSY"),
            ]
        )
        let (summary, sink) = await Self.drive(
            Self.executor(sender, watcher: calls, clock: clock) {
                $0.follow = true
                $0.maxActiveCalls = 10
            },
            Rows.make(3),
            clock: clock
        )

        // The shortest call's line comes first: lines are written when calls end.
        #expect(sink.lines.map(\.ref.row) == [2, 1, 0])
        #expect(sink.lines.map(\.outcome) == [.busy, .voicemail, .answered])
        let answered = try #require(sink.line(row: 0))
        #expect(answered.status == .started)
        #expect(answered.call?.seconds == 30)
        let text = String(decoding: answered.ndjson(), as: UTF8.self)
        #expect(
            text.contains(
                #""outcome":"answered","call":{"connectedAt":"2026-11-25T01:00:00.000Z","endedAt":"2026-11-25T01:00:30.000Z","seconds":30"#
            )
        )
        #expect(summary.outcomes == [.answered: 1, .voicemail: 1, .busy: 1])
        #expect(summary.counts == [.started: 3])
        #expect(summary.exitCode == 0)
    }

    @Test(.timeLimit(.minutes(1))) func aDeniedDescribeTurnsThePacingOffAndTheSummarySaysSo() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let calls = ScriptedCalls(clock: clock, denied: true)
        let (summary, sink) = await Self.drive(
            Self.executor(sender, watcher: calls, clock: clock) {
                $0.follow = true
                $0.maxActiveCalls = 1
            },
            Rows.make(4),
            clock: clock
        )

        #expect(summary.counts == [.started: 4])
        #expect(summary.notFollowed?.hasPrefix("AccessDeniedException") == true)
        #expect(summary.text().contains("calls were not followed (AccessDeniedException: not authorized)"))
        // Calls followed when the denial came are written live; later ones get no outcome.
        #expect(sink.lines.allSatisfy { $0.outcome == nil || $0.outcome == .live })
        #expect(calls.observations == 1)
    }

    @Test(.timeLimit(.minutes(1))) func callsStillLiveWhenTheRunIsInterruptedAreWrittenLive() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        let calls = ScriptedCalls(clock: clock, seconds: [Rows.destination(0): 5])
        let interrupt = InterruptSignal()
        let (summary, sink) = await Self.drive(
            Self.executor(sender, watcher: calls, clock: clock, interrupt: interrupt) {
                $0.follow = true
                $0.maxActiveCalls = 2
            },
            Rows.make(4),
            clock: clock,
            interrupt: { now in if now >= .seconds(8), !interrupt.isRaised { interrupt.trigger() } }
        )

        // Row 0 ended (5 s) and its place went to row 2; at 8 s the run stops.
        #expect(sink.line(row: 0)?.outcome == .answered)
        #expect(sink.line(row: 1)?.outcome == .live)
        #expect(sink.line(row: 2)?.outcome == .live)
        #expect(sink.line(row: 3)?.reason == .interrupted)
        #expect(summary.rows == 4)
    }
}
