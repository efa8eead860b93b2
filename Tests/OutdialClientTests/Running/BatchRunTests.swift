import Foundation
import OutdialCore
import Testing

@testable import OutdialClient

struct BatchRunTests {
    /// A journal in which row 0 started (contact `c-0`) and row 1 was sent without an outcome.
    static func stateWithEarlierRun() throws -> StateDirectory {
        let directory = try ExecutorJournalTests.temporaryStateDirectory()
        let lines = [
            #"{"intent":"token-0","source":"calls.yaml","row":0,"t":"2026-11-25T01:00:00.000Z"}"#,
            #"{"outcome":"token-0","status":"started","contactId":"c-0","t":"2026-11-25T01:00:00.100Z"}"#,
            #"{"intent":"token-1","source":"calls.yaml","row":1,"t":"2026-11-25T01:00:00.000Z"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: directory.journalPath(job: "job-1"),
            atomically: false,
            encoding: .utf8
        )
        return directory
    }

    static func configuration(state: StateDirectory?) -> BatchRunConfiguration {
        BatchRunConfiguration(
            executor: ExecutorConfiguration(rate: 0),
            aws: AWSOptions(),
            environment: AWSEnvironment(
                variables: ["AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"],
                homeDirectory: "/nonexistent-home"
            ),
            stateDirectory: state,
            timeout: .seconds(1),
            version: "0.0.0",
            command: "outdial run calls.yaml",
            progress: false
        )
    }

    /// Sends `rows` with no credentials anywhere.
    static func send(_ rows: [PlannedRow], state: StateDirectory?) async -> (BatchRunOutcome, LineCollector) {
        let sink = LineCollector()
        let outcome = await BatchRun.send(
            rows,
            settled: [],
            configuration: configuration(state: state),
            into: sink,
            interrupt: InterruptSignal(),
            logger: ExecutorTests.logger
        )
        return (outcome, sink)
    }

    @Test func withoutCredentialsRowsAnEarlierRunSettledKeepTheirResumeLines() async throws {
        let state = try Self.stateWithEarlierRun()
        let (outcome, sink) = await Self.send(Rows.make(3), state: state)
        #expect(outcome.exitCode == 3)
        #expect(outcome.summary.abort?.code == "NoCredentials")
        #expect(sink.line(row: 0)?.status == .skipped)
        #expect(sink.line(row: 0)?.reason == .alreadyStarted)
        #expect(sink.line(row: 0)?.contactId == "c-0")
        #expect(sink.line(row: 1)?.status == .uncertain)
        #expect(sink.line(row: 1)?.error?.code == "OutcomeUnknown")
        #expect(sink.line(row: 2)?.status == .skipped)
        #expect(sink.line(row: 2)?.reason == .halted)
        #expect(sink.line(row: 2)?.error?.code == "NoCredentials")
    }

    @Test func aStateDirectoryThatCannotBeLockedStillReadsWhatItsJournalsSay() async throws {
        let state = try Self.stateWithEarlierRun()
        // A directory where the lock file should be: the job cannot be locked, so not sent.
        try FileManager.default.createDirectory(
            atPath: state.lockPath(job: "job-1"),
            withIntermediateDirectories: false
        )
        let (outcome, sink) = await Self.send(Rows.make(3), state: state)
        #expect(outcome.exitCode == 3)
        #expect(outcome.refused?.code == "LockFailed")
        #expect(sink.lines.count == 3)
        #expect(sink.line(row: 0)?.reason == .alreadyStarted)
        #expect(sink.line(row: 0)?.contactId == "c-0")
        #expect(sink.line(row: 1)?.status == .uncertain)
        #expect(sink.line(row: 2)?.reason == .halted)
    }

    @Test func errorsWithoutACodeOfTheirOwnGetAStableOne() {
        struct Unexpected: Error {}
        #expect(BatchRun.code(of: Unexpected()) == "SendSetupFailed")
        #expect(BatchRun.code(of: AWSConfigurationError.noRegion("none")) == "NoRegion")
        #expect(BatchRun.code(of: RecordingError.lockFailed("/x", "busy")) == "LockFailed")
    }
}
