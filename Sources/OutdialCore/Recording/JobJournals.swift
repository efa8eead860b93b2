import Logging

/// The locks, journals and earlier state of every job id in one run.
///
/// Opening takes each job's lock first, then reads its journal, then opens it for appending, so
/// what was read cannot change under the run.
public final class JobJournals: JournalRecording {
    private let journals: [String: Journal]
    private let records: [String: EarlierRecords]
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
        var records: [String: EarlierRecords] = [:]
        var locks: [JobLock] = []
        var warnings: [String] = []
        for job in Set(jobs).sorted() {
            locks.append(try JobLock.acquire(job: job, in: directory, command: command))
            let path = directory.journalPath(job: job)
            let earlier = try EarlierRecords.load(job: job, in: directory)
            if let warning = earlier.current.warning(path: path) {
                warnings.append(warning)
                logger?.warning("\(warning)", metadata: ["job": "\(job)"])
            }
            records[job] = earlier
            journals[job] = try Journal(path: path)
        }
        self.warnings = warnings
        self.journals = journals
        self.records = records
        self.locks = locks
    }

    /// What earlier runs recorded for `row`.
    public func earlier(_ row: PlannedRow) -> JournalState.Entry? {
        records[row.ref.job]?[row.clientToken]
    }

    /// What earlier runs recorded for the rows of `jobs`, read without locking or opening the
    /// journals for writing (for a run that cannot start: its rows still get the lines a resume
    /// would give them), as far as they can be read.
    public static func readOnly(jobs: some Sequence<String>, in directory: StateDirectory) -> (
        PlannedRow
    ) -> JournalState.Entry? {
        var records: [String: EarlierRecords] = [:]
        for job in Set(jobs) {
            records[job] = EarlierRecords.loadReadable(job: job, in: directory)
        }
        return { records[$0.ref.job]?[$0.clientToken] }
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

    public func recordIntent(for row: PlannedRow) async throws(RecordingError) -> IntentAnswer {
        guard let journal = journals[row.ref.job] else {
            throw .journalWriteFailed(row.ref.job, "no journal was opened for this job")
        }
        return try await journal.recordIntent(for: row)
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

/// What earlier runs recorded for one job: its journal, and the journal an earlier version kept
/// under the job's former file name (ids that needed escaping). Rows are matched by ClientToken,
/// which only this job's rows carry, so another id that once shared that name matches nothing.
private struct EarlierRecords {
    var current: JournalState
    var legacy: JournalState?

    static func load(job: String, in directory: StateDirectory) throws(RecordingError) -> EarlierRecords {
        let current = try JournalState.load(path: directory.journalPath(job: job))
        let legacy = try directory.legacyJournalPath(job: job).map { path throws(RecordingError) in
            try JournalState.load(path: path)
        }
        return EarlierRecords(current: current, legacy: legacy?.isEmpty == false ? legacy : nil)
    }

    /// As far as the journals can be read: nil when the job's own journal cannot be.
    static func loadReadable(job: String, in directory: StateDirectory) -> EarlierRecords? {
        guard let current = try? JournalState.load(path: directory.journalPath(job: job)) else { return nil }
        let legacy = directory.legacyJournalPath(job: job).flatMap { try? JournalState.load(path: $0) }
        return EarlierRecords(current: current, legacy: legacy?.isEmpty == false ? legacy : nil)
    }

    subscript(clientToken: String) -> JournalState.Entry? {
        current[clientToken] ?? legacy?[clientToken]
    }
}
