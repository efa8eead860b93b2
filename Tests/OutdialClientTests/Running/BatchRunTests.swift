import Foundation
import OutdialCore
import Testing

@testable import OutdialClient
@testable import OutdialLedger

struct BatchRunTests {
    /// A ledger in which an earlier run started row 0 (contact `contact-0-1`) and sent row 1
    /// without learning its outcome.
    static func stateWithEarlierRun() async throws -> StateDirectory {
        let directory = try ExecutorLedgerTests.temporaryStateDirectory()
        let store = LedgerStore(directory: directory)
        let sender = ScriptedSender([Rows.destination(1): [.timeout]])
        let summary = await ExecutorLedgerTests.run(
            Rows.make(2),
            sender: sender,
            records: try await ExecutorLedgerTests.beginRun(store)
        ) { $0.retry.maxAttempts = 1 }
        #expect(summary.counts == [.started: 1, .uncertain: 1])
        await store.close()
        return directory
    }

    static func configuration(records: (any RunRecordsStore)?) -> BatchRunConfiguration {
        BatchRunConfiguration(
            executor: ExecutorConfiguration(rate: 0),
            aws: AWSOptions(),
            environment: AWSEnvironment(
                variables: ["AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"],
                homeDirectory: "/nonexistent-home"
            ),
            records: records,
            timeout: .seconds(1),
            version: "0.0.0",
            command: "outdial run calls.yaml",
            progress: false
        )
    }

    /// Sends `rows` with no credentials anywhere.
    static func send(_ rows: [PlannedRow], state: StateDirectory) async -> (BatchRunOutcome, LineCollector) {
        let sink = LineCollector()
        let store = LedgerStore(directory: state)
        let outcome = await BatchRun.send(
            rows,
            settled: [],
            configuration: configuration(records: store),
            into: sink,
            interrupt: InterruptSignal(),
            logger: ExecutorTests.logger
        )
        await store.close()
        return (outcome, sink)
    }

    @Test func withoutCredentialsRowsAnEarlierRunSettledKeepTheirResumeLines() async throws {
        let state = try await Self.stateWithEarlierRun()
        let (outcome, sink) = await Self.send(Rows.make(3), state: state)
        #expect(outcome.exitCode == 3)
        #expect(outcome.summary.abort?.code == "NoCredentials")
        #expect(sink.line(row: 0)?.status == .skipped)
        #expect(sink.line(row: 0)?.reason == .alreadyStarted)
        #expect(sink.line(row: 0)?.contactId == "contact-0-1")
        #expect(sink.line(row: 1)?.status == .uncertain)
        #expect(sink.line(row: 1)?.error?.code == "OutcomeUnknown")
        #expect(sink.line(row: 2)?.status == .skipped)
        #expect(sink.line(row: 2)?.reason == .halted)
        #expect(sink.line(row: 2)?.error?.code == "NoCredentials")
    }

    @Test func aLedgerThatCannotBeOpenedHaltsEveryRowNamingIt() async throws {
        let state = try ExecutorLedgerTests.temporaryStateDirectory()
        let path = state.path + "/" + Ledger.fileName
        try "not a database, just text\n".write(toFile: path, atomically: false, encoding: .utf8)
        let (outcome, sink) = await Self.send(Rows.make(3), state: state)
        #expect(outcome.exitCode == 3)
        #expect(outcome.refused?.code == "LedgerUnusable")
        #expect(outcome.refused?.message.contains(path) == true)
        #expect(sink.lines.count == 3)
        #expect(sink.lines.allSatisfy { $0.status == .skipped && $0.reason == .halted })
        #expect(sink.lines.allSatisfy { $0.error?.code == "LedgerUnusable" })
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a database, just text\n")
    }

    @Test func aJobAnotherRunHoldsWritesNoLinesAndExitsTwo() async throws {
        let state = try ExecutorLedgerTests.temporaryStateDirectory()
        let holder = LedgerStore(directory: state)
        let held = try await ExecutorLedgerTests.beginRun(holder)
        let (outcome, sink) = await Self.send(Rows.make(3), state: state)
        #expect(outcome.exitCode == 2)
        #expect(outcome.refused?.code == "JobLocked")
        #expect(outcome.refused?.message.contains("job job-1 is already running (pid \(getpid()) ") == true)
        #expect(sink.lines.isEmpty)
        await held.finish()
        await holder.close()
    }

    @Test func errorsWithoutACodeOfTheirOwnGetAStableOne() {
        struct Unexpected: Error {}
        #expect(BatchRun.code(of: Unexpected()) == "SendSetupFailed")
        #expect(BatchRun.code(of: AWSConfigurationError.noRegion("none")) == "NoRegion")
        #expect(BatchRun.code(of: RecordingError.ledgerBusy("/x/outdial.sqlite", seconds: 10)) == "LedgerBusy")
    }
}
