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
    /// Where runs keep their records (the ledger); required unless this is a dry run.
    public var records: (any RunRecordsStore)?
    /// Each source file's `limits` and `limitKey`, by path as given.
    public var rules: [String: JobRules] = [:]
    /// The time limit of one attempt.
    public var timeout: Duration
    /// outdial's version, for `User-Agent`.
    public var version: String
    /// The command line, recorded in lock files.
    public var command: String
    /// Draw a live progress line on standard error.
    public var progress: Bool
    /// The time of day the run starts at (calling windows, `at`); nil is now. For tests and demos.
    public var startTime: Date?
    /// The name of the account whose `--rate` the processes recording in the same store share
    /// (with the region: one bucket per account and region); nil keeps the rate to this process.
    public var quotaKey: String?
    /// For one of several workers running the jobs together (`--worker`): the lease on the rows
    /// it claims. Nil for a run that takes its jobs for itself.
    public var workerLease: Duration?

    public init(
        executor: ExecutorConfiguration,
        aws: AWSOptions,
        environment: AWSEnvironment,
        records: (any RunRecordsStore)?,
        rules: [String: JobRules] = [:],
        timeout: Duration,
        version: String,
        command: String,
        progress: Bool,
        startTime: Date? = nil
    ) {
        self.executor = executor
        self.aws = aws
        self.environment = environment
        self.records = records
        self.rules = rules
        self.timeout = timeout
        self.version = version
        self.command = command
        self.progress = progress
        self.startTime = startTime
    }

    /// The time of day when the run starts.
    var wallClock: @Sendable () -> Date {
        if let startTime { { startTime } } else { { Date() } }
    }
}

/// What a batch run came to.
public struct BatchRunOutcome: Sendable {
    public var summary: RunSummary
    /// Transactions the records committed (each one sync to disk), and intents they recorded.
    public var commits: Int = 0
    public var intents: Int = 0
    /// Set when the run could not start (locked job, unusable ledger): nothing was sent.
    public var refused: RecordingError?
    /// Warnings for the user (a journal an earlier version left with lines that could not be read).
    public var warnings: [String] = []

    /// The process exit code: 2 for a job locked by another run, 3 for an unusable state
    /// directory, else the summary's.
    public var exitCode: Int32 {
        if let refused { return refused.code == ErrorCode.jobLocked ? 2 : 3 }
        return summary.exitCode
    }

    /// The summary as JSON with the ledger's figures added.
    public func json() -> [UInt8] {
        var bytes = summary.json()
        // Insert `"ledger": {...}` before the closing brace.
        guard let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return bytes }
        let journal = #","ledger":{"commits":\#(commits),"intents":\#(intents)}"#
        bytes.insert(contentsOf: Array(journal.utf8), at: close)
        return bytes
    }
}

/// Sends planned rows: takes the jobs in the ledger and reads what earlier runs recorded,
/// settles at once the rows the ledger's rules refuse (suppressed, over a limit), resolves
/// credentials and endpoint, runs the executor, and writes every row's line to `sink`.
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
        let jobs = Set(rows.map(\.ref.job))
        let redial = configuration.executor.redialUncertain

        if configuration.executor.dryRun {
            // What a run would do now, recording nothing: earlier runs' rows and the rules' refusals.
            var refusals: [Refusal?] = []
            var warnings: [String] = []
            do {
                if let records = try await configuration.records?.peek(jobs: jobs, rules: configuration.rules) {
                    refusals = try await screen(rows, records: records, redialUncertain: redial)
                    warnings = records.warnings
                }
            } catch {
                return refuse(rows, settled: settled, error: error, sink: sink)
            }
            let executor = Executor(
                configuration: configuration.executor,
                sender: NothingSent(),
                journal: nil,
                interrupt: interrupt,
                clock: ContinuousClock(),
                wallClock: configuration.wallClock,
                logger: logger
            )
            let summary = await executor.run(rows, settled: settled, refusals: refusals, into: sink, progress: progress)
            return BatchRunOutcome(summary: summary, warnings: warnings)
        }

        guard let store = configuration.records else {
            let error = RecordingError.stateDirectoryUnusable(
                "",
                "no state directory: set --state-dir, OUTDIAL_STATE_DIR or HOME"
            )
            return refuse(rows, settled: settled, error: error, sink: sink)
        }
        let records: any RunRecords
        var toSend: [PlannedRow]
        var screenedSettled: [ResultLine]
        var refusals: [Refusal?] = []
        var feed: (any RowFeed)?
        var sink = sink
        do {
            if let lease = configuration.workerLease {
                records = try await store.beginWorkerRun(
                    jobs: jobs.union(settled.map(\.ref.job)),
                    sources: Set(rows.map(\.ref.source) + settled.map(\.ref.source)),
                    rules: configuration.rules,
                    command: configuration.command,
                    lease: lease
                )
            } else {
                records = try await store.beginRun(
                    jobs: jobs,
                    sources: Set(rows.map(\.ref.source)),
                    rules: configuration.rules,
                    command: configuration.command
                )
            }
        } catch {
            return refuse(rows, settled: settled, error: error, sink: sink)
        }
        do {
            if configuration.workerLease != nil {
                // The rows are shared through the store: this worker sends the ones it claims.
                let share = try await joinWorkers(rows, settled: settled, records: records, redialUncertain: redial)
                (toSend, screenedSettled, feed) = ([], share.settled, share.feed)
                sink = WorkerSink(sink, feed: share.feed)
            } else {
                (toSend, screenedSettled) = (rows, settled)
                refusals = try await screen(rows, records: records, redialUncertain: redial)
            }
        } catch {
            await records.finish()
            return refuse(rows, settled: settled, error: error, sink: sink)
        }

        do {
            let instanceRegion = toSend.lazy.compactMap(\.regionFromARN).first
            let summary = try await withConnectClient(
                options: configuration.aws,
                environment: configuration.environment,
                concurrency: configuration.executor.concurrency,
                timeout: configuration.timeout,
                version: configuration.version,
                instanceARNRegion: instanceRegion,
                logger: logger
            ) { client in
                // The rate shared through the store takes the place of this process's own.
                var executorConfiguration = configuration.executor
                var gates: [any AdmissionGate<ContinuousClock.Instant>] = []
                if let key = configuration.quotaKey, executorConfiguration.rate > 0, let quota = records.sharedQuota {
                    gates.append(
                        SharedQuotaGate(
                            quota: quota,
                            key: key + "/" + client.configuration.region,
                            rate: executorConfiguration.rate,
                            burst: executorConfiguration.burst,
                            waitsForStore: configuration.workerLease != nil
                        )
                    )
                    executorConfiguration.rate = 0
                }
                let executor = Executor(
                    configuration: executorConfiguration,
                    sender: client,
                    records: records,
                    interrupt: interrupt,
                    gates: gates,
                    watcher: client,
                    agents: client,
                    wallClock: configuration.wallClock,
                    logger: logger
                )
                return await executor.run(
                    toSend,
                    settled: screenedSettled,
                    refusals: refusals,
                    feed: feed,
                    into: sink,
                    progress: progress
                )
            }
            await records.finish()
            let counts = await records.durability()
            return BatchRunOutcome(
                summary: summary,
                commits: counts.commits,
                intents: counts.intents,
                warnings: records.warnings
            )
        } catch {
            await records.finish()
            // Credentials, region or endpoint could not be resolved: nothing was sent.
            let abort = RowError(code: Self.code(of: error), message: Self.message(of: error))
            logger.error("cannot send", metadata: ["code": "\(abort.code)", "message": "\(abort.message)"])
            let summary = halted(
                toSend,
                settled: screenedSettled,
                refusals: refusals,
                abort: abort,
                sink: sink,
                earlier: { records.earlier($0) },
                redialUncertain: redial
            )
            return BatchRunOutcome(summary: summary)
        }
    }

    /// Registers the rows with the job's other workers: the rows an earlier run settled are
    /// registered with the lines a resume gives them, the others to be claimed.
    private static func joinWorkers(
        _ rows: [PlannedRow],
        settled: [ResultLine],
        records: any RunRecords,
        redialUncertain: Bool
    ) async throws(RecordingError) -> WorkerShare {
        var lines = settled
        for row in rows {
            if let line = ResultLine.resumed(row, records.earlier(row), redialUncertain: redialUncertain) {
                lines.append(line)
            }
        }
        return try await records.joinWorkers(rows: rows, settled: lines)
    }

    /// What the records' rules say of each row now: one refusal or nil per row, or none at all when
    /// no row is refused (rows an earlier run settled are left to the executor's resume, which gives
    /// them their lines).
    private static func screen(
        _ rows: [PlannedRow],
        records: any RunRecords,
        redialUncertain: Bool
    ) async throws(RecordingError) -> [Refusal?] {
        // The rows an earlier run has not settled, by position (nil: every row, the most common
        // case, handed over as they are): the refusals come back in their order.
        let fresh: [Int]? =
            records.remembersEarlierRuns
            ? rows.indices.filter {
                ResultLine.resumed(rows[$0], records.earlier(rows[$0]), redialUncertain: redialUncertain) == nil
            } : nil
        let answers = try await records.screen(fresh.map { $0.map { rows[$0] } } ?? rows)
        guard answers.contains(where: { $0 != nil }) else { return [] }
        guard let fresh else { return answers }
        var refusals = [Refusal?](repeating: nil, count: rows.count)
        for (position, index) in fresh.enumerated() { refusals[index] = answers[position] }
        return refusals
    }

    /// A run that cannot start: nothing is sent. A job held by another run writes no lines (that
    /// run owns the job's rows; exit 2). Any other refusal (no usable state directory or ledger)
    /// aborts the run (exit 3) and, as every abort does, still gives every row its line:
    /// `skipped: halted` with the error.
    private static func refuse(
        _ rows: [PlannedRow],
        settled: [ResultLine],
        error: RecordingError,
        sink: any ResultSink
    ) -> BatchRunOutcome {
        let abort = RowError(code: error.code, message: error.message)
        if error.code == ErrorCode.jobLocked {
            var summary = RunSummary()
            for line in settled { summary.count(line) }
            summary.abort = abort
            return BatchRunOutcome(summary: summary, refused: error)
        }
        let summary = halted(
            rows,
            settled: settled,
            abort: abort,
            sink: sink,
            earlier: { _ in nil },
            redialUncertain: false
        )
        return BatchRunOutcome(summary: summary, refused: error)
    }

    /// Writes the settled lines, then the lines of the rows `refusals` refuses, then for every other
    /// row the line a resume would give it when an earlier run settled it (`skipped: already-started`
    /// with its contactId, `uncertain`), else a `skipped: halted` line carrying `abort`.
    private static func halted(
        _ rows: [PlannedRow],
        settled: [ResultLine],
        refusals: [Refusal?] = [],
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
        for line in ResultLine.refused(rows, refusals) {
            try? sink.write(line)
            summary.count(line)
        }
        for (index, row) in rows.enumerated() where !refusals.refuses(index) {
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

/// A worker's results: each line goes to its output and settles its row in the store.
private final class WorkerSink: ResultSink {
    private let output: any ResultSink
    private let feed: any RowFeed

    init(_ output: any ResultSink, feed: any RowFeed) {
        self.output = output
        self.feed = feed
    }

    func write(_ line: ResultLine) throws(RecordingError) {
        try output.write(line)
        feed.settled(line)
    }
}
