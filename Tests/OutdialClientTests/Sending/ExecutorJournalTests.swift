import Foundation
import Logging
import OutdialCore
import Synchronization
import Testing

@testable import OutdialClient

struct ExecutorJournalTests {
    static func temporaryStateDirectory() throws -> StateDirectory {
        let path = NSTemporaryDirectory() + "outdial-exec-\(UUID().uuidString)"
        let directory = StateDirectory(path: path)
        try directory.prepare()
        return directory
    }

    @Test func intentIsOnDiskBeforeTheRequestIsSent() async throws {
        let directory = try Self.temporaryStateDirectory()
        let journals = try JobJournals(jobs: ["job-1"], in: directory, command: "outdial run calls.yaml")
        let path = directory.journalPath(job: "job-1")
        let sawIntent = Mutex<Set<String>>([])
        let sender = ScriptedSender { row, attempt, _ in
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if attempt == 1 && text.contains(#"{"intent":"\#(row.clientToken)","#) {
                sawIntent.withLock { _ = $0.insert(row.clientToken) }
            }
        }
        var configuration = ExecutorConfiguration(concurrency: 8, rate: 0)
        configuration.retry.base = .milliseconds(1)
        let executor = Executor(
            configuration: configuration,
            sender: sender,
            journals: journals,
            logger: ExecutorTests.logger
        )
        let summary = await executor.run(Rows.make(30), into: LineCollector())
        #expect(summary.counts == [.started: 30])
        #expect(sawIntent.withLock { $0 } == Set((0 ..< 30).map { "token-\($0)" }))

        let (fsyncs, intents) = await journals.durabilityCounts()
        #expect(intents == 30)
        #expect(fsyncs < intents, "\(fsyncs) fsyncs for \(intents) intents")

        await journals.synchronize()
        let state = try JournalState.load(path: path)
        #expect(state["token-7"] == .started(contactId: "contact-7-1"))
        #expect(state.entries.count == 30)
    }

    @Test func resumeSkipsStartedAndDoesNotRedialUncertain() async throws {
        let directory = try Self.temporaryStateDirectory()
        let lines = [
            #"{"intent":"token-0","source":"calls.yaml","row":0,"t":"2026-11-25T01:00:00.000Z"}"#,
            #"{"outcome":"token-0","status":"started","contactId":"c-0","t":"2026-11-25T01:00:00.100Z"}"#,
            #"{"intent":"token-1","source":"calls.yaml","row":1,"t":"2026-11-25T01:00:00.000Z"}"#,
            #"{"intent":"token-2","source":"calls.yaml","row":2,"t":"2026-11-25T01:00:00.000Z"}"#,
            #"{"outcome":"token-2","status":"failed","code":"InternalServiceException","t":"2026-11-25T01:00:01.000Z"}"#,
            #"{"intent":"token-3","source":"calls.yaml","ro"#,
        ]
        try lines.joined(separator: "\n").write(
            toFile: directory.journalPath(job: "job-1"),
            atomically: false,
            encoding: .utf8
        )

        let sender = ScriptedSender()
        let sink = LineCollector()
        do {
            let journals = try JobJournals(jobs: ["job-1"], in: directory, command: "outdial run")
            let executor = Executor(
                configuration: ExecutorConfiguration(rate: 0),
                sender: sender,
                journals: journals,
                logger: ExecutorTests.logger
            )
            let summary = await executor.run(Rows.make(4), into: sink)
            #expect(summary.exitCode == 1)
        }
        #expect(Set(sender.calls.map(\.destination)) == [Rows.destination(2), Rows.destination(3)])
        #expect(sink.line(row: 0)?.status == .skipped)
        #expect(sink.line(row: 0)?.reason == .alreadyStarted)
        #expect(sink.line(row: 0)?.contactId == "c-0")
        #expect(sink.line(row: 0)?.request == nil)
        #expect(sink.line(row: 1)?.status == .uncertain)
        #expect(sink.line(row: 1)?.error?.code == "OutcomeUnknown")
        #expect(sink.line(row: 2)?.status == .started)
        #expect(sink.line(row: 3)?.status == .started)

        // With --redial-uncertain the uncertain row goes out again; started rows still do not.
        let again = ScriptedSender()
        let journals = try JobJournals(jobs: ["job-1"], in: directory, command: "outdial run")
        var configuration = ExecutorConfiguration(rate: 0)
        configuration.redialUncertain = true
        let summary = await Executor(
            configuration: configuration,
            sender: again,
            journals: journals,
            logger: ExecutorTests.logger
        ).run(Rows.make(4), into: LineCollector())
        #expect(again.calls.map(\.destination) == [Rows.destination(1)])
        #expect(summary.counts == [.skipped: 3, .started: 1])
        #expect(summary.exitCode == 0)
    }

    @Test(.timeLimit(.minutes(1))) func secondInterruptLeavesHangingRowsUncertainInTheJournal() async throws {
        let directory = try Self.temporaryStateDirectory()
        let path = directory.journalPath(job: "job-1")
        let interrupt = InterruptSignal()
        let sender = HangingSender()
        let sink = LineCollector()
        do {
            let journals = try JobJournals(jobs: ["job-1"], in: directory, command: "outdial run")
            async let summary = ExecutorTests.executor(sender, journal: journals, interrupt: interrupt) {
                $0.concurrency = 2
            }.run(Rows.make(4), into: sink)
            await sender.calls(atLeast: 2)
            interrupt.trigger(name: "SIGINT")
            interrupt.trigger(name: "SIGINT")
            #expect(await summary.counts == [.uncertain: 2, .skipped: 2])
            await journals.synchronize()
        }
        let state = try JournalState.load(path: path)
        let hung = sink.lines.filter { $0.status == .uncertain }.map(\.clientToken)
        #expect(hung.count == 2)
        #expect(hung.allSatisfy { state[$0] == .uncertain })
        #expect(state.entries.count == 2)

        // Resumed, the hanging rows stay uncertain (not dialled again); the others are sent.
        let again = ScriptedSender()
        let resumed = LineCollector()
        let journals = try JobJournals(jobs: ["job-1"], in: directory, command: "outdial run")
        _ = await Executor(
            configuration: ExecutorConfiguration(rate: 0),
            sender: again,
            journals: journals,
            logger: ExecutorTests.logger
        ).run(Rows.make(4), into: resumed)
        #expect(again.callCount == 2)
        #expect(Set(resumed.lines.filter { $0.status == .uncertain }.map(\.clientToken)) == Set(hung))
    }

    @Test(.timeLimit(.minutes(1))) func stoppedAfterTheIntentNothingIsSentAndResumeSendsIt() async throws {
        let directory = try Self.temporaryStateDirectory()
        let interrupt = InterruptSignal()
        let sender = ScriptedSender()
        let sink = LineCollector()
        do {
            let journals = try JobJournals(jobs: ["job-1"], in: directory, command: "outdial run")
            // Two interrupts arrive while the first intent is being made durable.
            let journal = HookedJournal(inner: journals) { _ in
                interrupt.trigger()
                interrupt.trigger()
            }
            let summary = await ExecutorTests.executor(sender, journal: journal, interrupt: interrupt) {
                $0.concurrency = 1
            }.run(Rows.make(3), into: sink)
            #expect(summary.skipped == [.interrupted: 3])
            await journals.synchronize()
        }
        #expect(sender.callCount == 0)
        let state = try JournalState.load(path: directory.journalPath(job: "job-1"))
        #expect(state["token-0"] == .failed(code: "Interrupted"))
        #expect(state.entries.count == 1)
    }
}
