import Logging

/// The locks, journals and earlier state of every job id in one run.
///
/// Opening takes each job's lock first, then reads its journal, then opens it for appending, so
/// what was read cannot change under the run.
public final class JobJournals: JournalRecording {
    private let journals: [String: Journal]
    private let states: [String: JournalState]
    /// What an earlier version recorded under its former journal name (ids that needed escaping).
    private let legacyStates: [String: JournalState]
    private let locks: [JobLock]
    /// One warning per journal with lines that could not be read, naming the file and the first
    /// such line (also logged at `warning` when a logger is given).
    public let warnings: [String]

    /// Locks and opens the journals of `jobs` in `directory` (creating it if needed).
    /// - Parameters:
    ///   - jobs: the job ids of the run.
    ///   - directory: the state directory.
    ///   - command: this process's command line, recorded in the lock files.
    ///   - logger: where the `warnings` are logged, if anywhere.
    /// - Throws: `RecordingError` when the directory is unusable, a job is locked by another
    ///   run, or a journal cannot be read or opened. Locks already taken are released.
    public init(
        jobs: some Sequence<String>,
        in directory: StateDirectory,
        command: String,
        logger: Logger? = nil
    ) throws(RecordingError) {
        try directory.prepare()
        var journals: [String: Journal] = [:]
        var states: [String: JournalState] = [:]
        var legacyStates: [String: JournalState] = [:]
        var locks: [JobLock] = []
        var warnings: [String] = []
        for job in Set(jobs).sorted() {
            locks.append(try JobLock.acquire(job: job, in: directory, command: command))
            let path = directory.journalPath(job: job)
            let state = try JournalState.load(path: path)
            if let warning = state.warning(path: path) {
                warnings.append(warning)
                logger?.warning("\(warning)", metadata: ["job": "\(job)"])
            }
            states[job] = state
            if let legacy = directory.legacyJournalPath(job: job) {
                // Rows are matched by ClientToken, which only this job's rows carry: another id
                // that once shared the name matches nothing here.
                let earlier = try JournalState.load(path: legacy)
                if !earlier.isEmpty { legacyStates[job] = earlier }
            }
            journals[job] = try Journal(path: path)
        }
        self.warnings = warnings
        self.journals = journals
        self.states = states
        self.legacyStates = legacyStates
        self.locks = locks
    }

    /// What earlier runs recorded for `row`.
    public func earlier(_ row: PlannedRow) -> JournalState.Entry? {
        states[row.ref.job]?[row.clientToken] ?? legacyStates[row.ref.job]?[row.clientToken]
    }

    /// The journal of one job id.
    public func journal(for job: String) -> Journal? {
        journals[job]
    }

    /// fsync calls and durable intents so far, over every journal.
    public func durabilityCounts() async -> (fsyncs: Int, intents: Int) {
        var fsyncs = 0
        var intents = 0
        for journal in journals.values {
            fsyncs += await journal.fsyncCount
            intents += await journal.intentCount
        }
        return (fsyncs, intents)
    }

    public func recordIntent(for row: PlannedRow) async throws(RecordingError) {
        guard let journal = journals[row.ref.job] else {
            throw .journalWriteFailed(row.ref.job, "no journal was opened for this job")
        }
        try await journal.recordIntent(for: row)
    }

    public func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async {
        await journals[row.ref.job]?.recordOutcome(for: row, outcome)
    }

    /// Syncs every journal.
    public func synchronize() async {
        for journal in journals.values {
            await journal.synchronize()
        }
    }
}
