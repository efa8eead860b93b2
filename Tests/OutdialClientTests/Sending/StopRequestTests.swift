import Foundation
import OutdialBase
import OutdialCore
import Synchronization
import Testing

@testable import OutdialClient

/// Records that say `outdial stop` asked the run to stop once the manual clock reaches `at`.
struct StoppingRecords: JournalRecording {
    let clock: ManualClock
    let at: Duration

    func recordIntent(for row: PlannedRow) async throws(RecordingError) -> IntentAnswer { .recorded }
    func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async {}
    func stopRequested() async -> String? { clock.now.offset >= at ? "wrong list" : nil }
}

struct StopRequestExecutorTests {
    @Test(.timeLimit(.minutes(1))) func aStopAskedThroughTheRecordsEndsTheRunWithinASecond() async {
        let clock = ManualClock()
        let sender = ScriptedSender(clock: clock)
        var configuration = ExecutorConfiguration(concurrency: 2, rate: 1, burst: 1)
        configuration.stopCheckInterval = .milliseconds(500)
        let executor = Executor(
            configuration: configuration,
            sender: sender,
            journal: StoppingRecords(clock: clock, at: .milliseconds(2500)),
            clock: clock,
            wallClock: { ExecutorTests.startDate },
            logger: ExecutorTests.logger
        )
        let (summary, sink) = await LiveCallsTests.drive(
            executor,
            Rows.make(10),
            clock: clock,
            step: .milliseconds(250)
        )

        // One request a second from 0 s; the stop is asked at 2.5 s and seen then (checks every
        // half second), before the row of 3 s goes.
        #expect(sender.callCount == 3)
        #expect(summary.counts == [.started: 3, .skipped: 7])
        #expect(summary.skipped == [.stopped: 7])
        #expect(summary.stoppedBecause == "wrong list")
        #expect(summary.text().contains("stopped by outdial stop (wrong list)"))
        #expect(sink.lines.count == 10)
    }
}
