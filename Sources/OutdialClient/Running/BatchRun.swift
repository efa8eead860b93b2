import Foundation
import Logging
import OutdialCore

/// Everything one `run`, `replay` or spool pass needs to send its planned rows.
public struct BatchRunConfiguration: Sendable {
    /// Pacing, retries, halt rule, deadline, dry run.
    public var executor: ExecutorConfiguration
    /// The AWS options of the command line.
    public var aws: AWSOptions
    /// The environment credentials, region and endpoint are read from.
    public var environment: AWSEnvironment
    /// Where journals and locks live; required unless this is a dry run.
    public var stateDirectory: StateDirectory?
    /// The time limit of one attempt.
    public var timeout: Duration
    /// outdial's version, for `User-Agent`.
    public var version: String
    /// The command line, recorded in lock files.
    public var command: String
    /// Draw a live progress line on standard error.
    public var progress: Bool

    public init(
        executor: ExecutorConfiguration,
        aws: AWSOptions,
        environment: AWSEnvironment,
        stateDirectory: StateDirectory?,
        timeout: Duration,
        version: String,
        command: String,
        progress: Bool
    ) {
        self.executor = executor
        self.aws = aws
        self.environment = environment
        self.stateDirectory = stateDirectory
        self.timeout = timeout
        self.version = version
        self.command = command
        self.progress = progress
    }
}

/// What a batch run came to.
public struct BatchRunOutcome: Sendable {
    public var summary: RunSummary
    /// fsync calls the journals made, and intents they recorded.
    public var fsyncs: Int
    public var intents: Int
    /// Set when the run could not start (locked job, unusable state directory): nothing was sent.
    public var refused: RecordingError?
    /// Warnings for the user (a journal with lines that could not be read, naming it).
    public var warnings: [String] = []

    /// The process exit code: 2 for a job locked by another run, 3 for an unusable state
    /// directory, else the summary's.
    public var exitCode: Int32 {
        if let refused { return refused.code == ErrorCode.jobLocked ? 2 : 3 }
        return summary.exitCode
    }

    /// The summary as JSON with the journal's figures added.
    public func json() -> [UInt8] {
        var bytes = summary.json()
        // Insert `"journal": {...}` before the closing brace.
        guard let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return bytes }
        let journal = #","journal":{"fsyncs":\#(fsyncs),"intents":\#(intents)}"#
        bytes.insert(contentsOf: Array(journal.utf8), at: close)
        return bytes
    }
}

/// Sends planned rows: locks and reads the jobs' journals, resolves credentials and endpoint,
/// runs the executor, and writes every row's line to `sink`.
public enum BatchRun {
    /// - Parameters:
    ///   - rows: the rows to send.
    ///   - settled: lines already settled (`invalid`, `duplicate`).
    ///   - sink: receives exactly one line per row.
    ///   - interrupt: stops starting new rows when raised.
    /// - Returns: the outcome; when credentials, region or endpoint cannot be found, or the
    ///   endpoint or credentials are refused, the summary carries the abort (exit 3) and every row
    ///   not sent is `skipped: halted`, except rows an earlier run settled, which get the lines a
    ///   resume gives them (`skipped: already-started` with their contactId, `uncertain`).
    public static func send(
        _ rows: [PlannedRow],
        settled: [ResultLine],
        configuration: BatchRunConfiguration,
        into sink: any ResultSink,
        interrupt: InterruptSignal,
        logger: Logger
    ) async -> BatchRunOutcome {
        let progress =
            configuration.progress ? ProgressReporter(total: rows.count + settled.count) : nil
        defer { progress?.finish() }

        if configuration.executor.dryRun {
            let executor = Executor(
                configuration: configuration.executor,
                sender: NothingSent(),
                journal: nil,
                interrupt: interrupt,
                clock: ContinuousClock(),
                logger: logger
            )
            let summary = await executor.run(rows, settled: settled, into: sink, progress: progress)
            return BatchRunOutcome(summary: summary, fsyncs: 0, intents: 0)
        }

        guard let stateDirectory = configuration.stateDirectory else {
            let error = RecordingError.stateDirectoryUnusable(
                "",
                "no state directory: set --state-dir, OUTDIAL_STATE_DIR or HOME"
            )
            return refuse(rows, settled: settled, error: error, sink: sink, earlier: { _ in nil })
        }
        let journals: JobJournals
        do {
            journals = try JobJournals(
                jobs: rows.map(\.ref.job),
                in: stateDirectory,
                command: configuration.command
            )
        } catch {
            // The journals could not be opened for writing; what they say is still read, when it
            // can be, so rows an earlier run settled keep their lines.
            let earlier = JobJournals.readOnly(jobs: rows.map(\.ref.job), in: stateDirectory)
            return refuse(rows, settled: settled, error: error, sink: sink, earlier: earlier)
        }

        do {
            let instanceRegion = rows.lazy.compactMap(\.regionFromARN).first
            let summary = try await withConnectClient(
                options: configuration.aws,
                environment: configuration.environment,
                concurrency: configuration.executor.concurrency,
                timeout: configuration.timeout,
                version: configuration.version,
                instanceARNRegion: instanceRegion,
                logger: logger
            ) { client in
                let executor = Executor(
                    configuration: configuration.executor,
                    sender: client,
                    journals: journals,
                    interrupt: interrupt,
                    logger: logger
                )
                return await executor.run(rows, settled: settled, into: sink, progress: progress)
            }
            await journals.synchronize()
            let counts = await journals.durabilityCounts()
            return BatchRunOutcome(
                summary: summary,
                fsyncs: counts.fsyncs,
                intents: counts.intents,
                warnings: journals.warnings
            )
        } catch {
            // Credentials, region or endpoint could not be resolved: nothing was sent.
            let abort = RowError(code: Self.code(of: error), message: Self.message(of: error))
            logger.error("cannot send", metadata: ["code": "\(abort.code)", "message": "\(abort.message)"])
            let summary = halted(
                rows,
                settled: settled,
                abort: abort,
                sink: sink,
                earlier: { journals.earlier($0) },
                redialUncertain: configuration.executor.redialUncertain
            )
            return BatchRunOutcome(summary: summary, fsyncs: 0, intents: 0)
        }
    }

    /// A run that cannot start: nothing is sent. A job locked by another run writes no lines (that
    /// run owns the job's rows; exit 2). Any other refusal (no usable state directory) aborts the
    /// run (exit 3) and, as every abort does, still gives every row its line: `skipped: halted`, or
    /// what `earlier` says an earlier run made of it.
    private static func refuse(
        _ rows: [PlannedRow],
        settled: [ResultLine],
        error: RecordingError,
        sink: any ResultSink,
        earlier: (PlannedRow) -> JournalState.Entry?
    ) -> BatchRunOutcome {
        let abort = RowError(code: error.code, message: error.message)
        if error.code == ErrorCode.jobLocked {
            var summary = RunSummary()
            for line in settled { summary.count(line) }
            summary.abort = abort
            return BatchRunOutcome(summary: summary, fsyncs: 0, intents: 0, refused: error)
        }
        let summary = halted(rows, settled: settled, abort: abort, sink: sink, earlier: earlier, redialUncertain: false)
        return BatchRunOutcome(summary: summary, fsyncs: 0, intents: 0, refused: error)
    }

    /// Writes the settled lines, then for every row the line a resume would give it when an
    /// earlier run settled it (`skipped: already-started` with its contactId, `uncertain`), else
    /// a `skipped: halted` line carrying `abort`.
    private static func halted(
        _ rows: [PlannedRow],
        settled: [ResultLine],
        abort: RowError,
        sink: any ResultSink,
        earlier: (PlannedRow) -> JournalState.Entry?,
        redialUncertain: Bool
    ) -> RunSummary {
        var summary = RunSummary()
        for line in settled {
            try? sink.write(line)
            summary.count(line)
        }
        for row in rows {
            var line: ResultLine
            if let resumed = ResultLine.resumed(row, earlier(row), redialUncertain: redialUncertain) {
                line = resumed
            } else {
                line = ResultLine.skipped(row, .halted)
                line.error = abort
            }
            try? sink.write(line)
            summary.count(line)
        }
        summary.abort = abort
        return summary
    }

    /// The stable code of an error that stopped sending before it began: the error's own code
    /// when it has one, else `SendSetupFailed` (never a Swift type name).
    static func code(of error: any Error) -> String {
        switch error {
        case let error as AWSConfigurationError: error.code
        case let error as RecordingError: error.code
        default: ErrorCode.sendSetupFailed
        }
    }

    /// The message of such an error.
    static func message(of error: any Error) -> String {
        switch error {
        case let error as AWSConfigurationError: error.message
        case let error as RecordingError: error.message
        default: "sending could not be set up: \(error)"
        }
    }
}

/// The sender of a dry run: never called, as the executor sends nothing in a dry run.
private struct NothingSent: ContactSender {
    func send(_ row: PlannedRow, attempt: Int) async -> AttemptOutcome {
        .notSent(RowError(code: ErrorCode.dryRun, message: "a dry run sends nothing", retryable: false), .permanent)
    }
}
