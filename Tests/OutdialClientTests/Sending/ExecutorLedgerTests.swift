import Foundation
import Logging
import OutdialCore
import Synchronization
import Testing

@testable import OutdialClient
@testable import OutdialLedger

/// The executor recording into a real ledger: intents durable before requests, group commit,
/// and resume from what earlier runs (and earlier versions' journals) recorded.
struct ExecutorLedgerTests {
    static func temporaryStateDirectory() throws -> StateDirectory {
        let path = NSTemporaryDirectory() + "outdial-exec-\(UUID().uuidString)"
        let directory = StateDirectory(path: path)
        try directory.prepare()
        return directory
    }

    /// Begins a run of `jobs` on the ledger of `directory`.
    static func beginRun(
        _ store: LedgerStore,
        jobs: Set<String> = ["job-1"]
    ) async throws -> any RunRecords {
        try await store.beginRun(jobs: jobs, sources: ["calls.yaml"], rules: [:], command: "outdial run calls.yaml")
    }

    /// Runs `rows` through an executor on the continuous clock that resumes from `records`.
    static func run(
        _ rows: [PlannedRow],
        sender: any ContactSender,
        records: any RunRecords,
        into sink: LineCollector = LineCollector(),
        configure: (inout ExecutorConfiguration) -> Void = { _ in }
    ) async -> RunSummary {
        var configuration = ExecutorConfiguration(rate: 0)
        configuration.retry.base = .milliseconds(1)
        configure(&configuration)
        let summary = await Executor(
            configuration: configuration,
            sender: sender,
            records: records,
            logger: ExecutorTests.logger
        ).run(rows, into: sink)
        await records.finish()
        return summary
    }

    /// `attempts` rows of the ledger, by ClientToken: (status, contact id, error code).
    static func attempts(in directory: StateDirectory) async throws -> [String: (AttemptStatus, String?, String?)] {
        let ledger = try await Ledger.open(in: directory)
        let rows = try await ledger.database.query(
            "SELECT client_token, status, contact_id, error_code FROM attempts",
            []
        )
        await ledger.close()
        var attempts: [String: (AttemptStatus, String?, String?)] = [:]
        for row in rows {
            guard let token = row[0].text, let status = row[1].integer.flatMap(AttemptStatus.init(rawValue:)) else {
                continue
            }
            attempts[token] = (status, row[2].text, row[3].text)
        }
        return attempts
    }

    @Test func intentIsCommittedBeforeTheRequestIsSent() async throws {
        let directory = try Self.temporaryStateDirectory()
        let store = LedgerStore(directory: directory)
        let records = try await Self.beginRun(store)
        // A second connection, as another process would read the store.
        let reader = try await Ledger.open(in: directory)
        let sender = LedgerReadingSender(reader: reader)
        let summary = await Self.run(Rows.make(30), sender: sender, records: records) { $0.concurrency = 8 }
        #expect(summary.counts == [.started: 30])
        #expect(sender.intentsSeen == Set((0 ..< 30).map { "token-\($0)" }))

        let (commits, intents) = await records.durability()
        #expect(intents == 30)
        #expect(commits < intents, "\(commits) commits for \(intents) intents")

        await store.close()
        await reader.close()
        let attempts = try await Self.attempts(in: directory)
        #expect(attempts.count == 30)
        #expect(attempts["token-7"]?.0 == .started)
        #expect(attempts["token-7"]?.1 == "contact-7-1")
    }

    @Test func resumeSkipsStartedAndDoesNotRedialUncertain() async throws {
        let directory = try Self.temporaryStateDirectory()
        let store = LedgerStore(directory: directory)
        // The first run: row 0 starts, row 1's outcome is unknown, row 2 fails, row 3 is never
        // reached (the run stops starting rows after row 2: the sender halts it).
        let first = ScriptedSender([
            Rows.destination(1): [.timeout],
            Rows.destination(2): [.invalidNumber],
        ])
        let firstSummary = await Self.run(Rows.make(3), sender: first, records: try await Self.beginRun(store)) {
            $0.concurrency = 1
            $0.retry.maxAttempts = 1
        }
        #expect(firstSummary.counts == [.started: 1, .uncertain: 1, .failed: 1])

        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.run(Rows.make(4), sender: sender, records: try await Self.beginRun(store), into: sink)
        #expect(summary.exitCode == 1)
        #expect(Set(sender.calls.map(\.destination)) == [Rows.destination(2), Rows.destination(3)])
        #expect(sink.line(row: 0)?.status == .skipped)
        #expect(sink.line(row: 0)?.reason == .alreadyStarted)
        #expect(sink.line(row: 0)?.contactId == "contact-0-1")
        #expect(sink.line(row: 0)?.request == nil)
        #expect(sink.line(row: 1)?.status == .uncertain)
        #expect(sink.line(row: 1)?.error?.code == "OutcomeUnknown")
        #expect(sink.line(row: 2)?.status == .started)
        #expect(sink.line(row: 3)?.status == .started)

        // With --redial-uncertain the uncertain row goes out again; started rows still do not.
        // (The executor alone: BatchRun's screening by the limits is not asked here.)
        let again = ScriptedSender()
        let summaryAgain = await Self.run(Rows.make(4), sender: again, records: try await Self.beginRun(store)) {
            $0.redialUncertain = true
        }
        #expect(again.calls.map(\.destination) == [Rows.destination(1)])
        #expect(summaryAgain.counts == [.skipped: 3, .started: 1])
        #expect(summaryAgain.exitCode == 0)
        await store.close()
    }

    @Test func aJournalAnEarlierVersionLeftIsStillHonoured() async throws {
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
        let store = LedgerStore(directory: directory)
        let records = try await Self.beginRun(store)
        #expect(records.warnings.count == 1)
        #expect(records.warnings.first?.contains("line 6 is not a journal record") == true)

        let sender = ScriptedSender()
        let sink = LineCollector()
        let summary = await Self.run(Rows.make(4), sender: sender, records: records, into: sink)
        #expect(summary.exitCode == 1)
        #expect(Set(sender.calls.map(\.destination)) == [Rows.destination(2), Rows.destination(3)])
        #expect(sink.line(row: 0)?.reason == .alreadyStarted)
        #expect(sink.line(row: 0)?.contactId == "c-0")
        #expect(sink.line(row: 1)?.status == .uncertain)
        #expect(sink.line(row: 2)?.status == .started)
        #expect(sink.line(row: 3)?.status == .started)
        await store.close()
    }

    @Test func aJournalKeptUnderTheJobsFormerNameIsStillHonoured() async throws {
        // Earlier versions wrote the journal of "team/nightly" as team_nightly-<hash>.journal.
        let directory = try Self.temporaryStateDirectory()
        let job = "team/nightly"
        let legacy = try #require(directory.legacyJournalPath(job: job))
        let lines = [
            #"{"intent":"token-0","source":"calls.yaml","row":0,"t":"2026-11-25T01:00:00.000Z"}"#,
            #"{"outcome":"token-0","status":"started","contactId":"c-0","t":"2026-11-25T01:00:00.100Z"}"#,
            #"{"intent":"token-1","source":"calls.yaml","row":1,"t":"2026-11-25T01:00:00.000Z"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: legacy, atomically: false, encoding: .utf8)
        let store = LedgerStore(directory: directory)
        let sender = ScriptedSender()
        let sink = LineCollector()
        _ = await Self.run(
            Rows.make(3, job: job),
            sender: sender,
            records: try await Self.beginRun(store, jobs: [job]),
            into: sink
        )
        #expect(sender.calls.map(\.destination) == [Rows.destination(2)])
        #expect(sink.line(row: 0)?.reason == .alreadyStarted)
        #expect(sink.line(row: 0)?.contactId == "c-0")
        #expect(sink.line(row: 1)?.status == .uncertain)
        await store.close()
    }

    @Test func aJournalThatCannotBeReadStopsTheRunBeforeItTakesTheJob() async throws {
        let directory = try Self.temporaryStateDirectory()
        // A directory where the journal should be: it exists and cannot be read as a file.
        try FileManager.default.createDirectory(
            atPath: directory.journalPath(job: "job-1"),
            withIntermediateDirectories: false
        )
        let store = LedgerStore(directory: directory)
        await #expect {
            _ = try await Self.beginRun(store)
        } throws: { error in
            (error as? RecordingError)?.code == "JournalUnreadable"
        }
        // The job was let go: once the journal is moved away, a run takes it.
        try FileManager.default.removeItem(atPath: directory.journalPath(job: "job-1"))
        let records = try await Self.beginRun(store)
        await records.finish()
        await store.close()
    }

    @Test(.timeLimit(.minutes(1))) func secondInterruptLeavesHangingRowsUncertainInTheLedger() async throws {
        let directory = try Self.temporaryStateDirectory()
        let store = LedgerStore(directory: directory)
        let interrupt = InterruptSignal()
        let sender = HangingSender()
        let sink = LineCollector()
        let records = try await Self.beginRun(store)
        async let summary = ExecutorTests.executor(sender, journal: records, interrupt: interrupt) {
            $0.concurrency = 2
        }.run(Rows.make(4), into: sink)
        await sender.calls(atLeast: 2)
        interrupt.trigger(name: "SIGINT")
        interrupt.trigger(name: "SIGINT")
        #expect(await summary.counts == [.uncertain: 2, .skipped: 2])
        await records.finish()
        await store.close()

        let attempts = try await Self.attempts(in: directory)
        let hung = sink.lines.filter { $0.status == .uncertain }.map(\.clientToken)
        #expect(hung.count == 2)
        #expect(hung.allSatisfy { attempts[$0]?.0 == .uncertain })
        #expect(attempts.count == 2)

        // Resumed, the hanging rows stay uncertain (not dialled again); the others are sent.
        let again = ScriptedSender()
        let resumed = LineCollector()
        let later = LedgerStore(directory: directory)
        _ = await Self.run(Rows.make(4), sender: again, records: try await Self.beginRun(later), into: resumed)
        #expect(again.callCount == 2)
        #expect(Set(resumed.lines.filter { $0.status == .uncertain }.map(\.clientToken)) == Set(hung))
        await later.close()
    }

    @Test(.timeLimit(.minutes(1))) func stoppedAfterTheIntentNothingIsSentAndResumeSendsIt() async throws {
        let directory = try Self.temporaryStateDirectory()
        let store = LedgerStore(directory: directory)
        let interrupt = InterruptSignal()
        let sender = ScriptedSender()
        let sink = LineCollector()
        let records = try await Self.beginRun(store)
        // Two interrupts arrive while the first intent is being committed.
        let journal = HookedJournal(inner: records) { _ in
            interrupt.trigger()
            interrupt.trigger()
        }
        let summary = await ExecutorTests.executor(sender, journal: journal, interrupt: interrupt) {
            $0.concurrency = 1
        }.run(Rows.make(3), into: sink)
        #expect(summary.skipped == [.interrupted: 3])
        await records.finish()
        await store.close()
        #expect(sender.callCount == 0)
        let attempts = try await Self.attempts(in: directory)
        #expect(attempts["token-0"]?.0 == .failed)
        #expect(attempts["token-0"]?.2 == "Interrupted")
        #expect(attempts.count == 1)

        // Never sent, the row does not count toward the limits: the next run sends all three.
        let again = ScriptedSender()
        let later = LedgerStore(directory: directory)
        let next = await Self.run(Rows.make(3), sender: again, records: try await Self.beginRun(later))
        #expect(next.counts == [.started: 3])
        #expect(again.callCount == 3)
        await later.close()
    }
}

/// A sender that, before answering, reads the `attempts` table through its own connection and
/// notes the rows whose intent it found there.
final class LedgerReadingSender: ContactSender, Sendable {
    private let reader: Ledger
    private let seen = Mutex<Set<String>>([])

    init(reader: Ledger) {
        self.reader = reader
    }

    var intentsSeen: Set<String> { seen.withLock { $0 } }

    func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome {
        let rows = try? await reader.database.query(
            "SELECT status FROM attempts WHERE client_token = $1",
            [.text(row.clientToken)]
        )
        if attempt == 1, rows?.first?.first?.integer == AttemptStatus.intent.rawValue {
            _ = seen.withLock { $0.insert(row.clientToken) }
        }
        return .started(contactId: "contact-\(row.ref.row)-\(attempt)", milliseconds: 42)
    }
}
