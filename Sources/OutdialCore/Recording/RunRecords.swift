/// The records of one run (the ledger's view of its jobs): what earlier runs made of each row,
/// the claim before each request (`recordIntent`), each outcome, and a read-only first look at
/// which rows the rules would refuse.
public protocol RunRecords: JournalRecording {
    /// What earlier runs recorded for `row`, if anything.
    func earlier(_ row: PlannedRow) -> JournalState.Entry?

    /// False when earlier runs recorded nothing for these jobs: `earlier` is then nil for every row.
    var remembersEarlierRuns: Bool { get }

    /// What the rules (suppression, limits) would say of each row now, recording nothing: a
    /// refusal or nil, in the order of `rows`. The claim at intent time decides again.
    func screen(_ rows: [PlannedRow]) async throws(RecordingError) -> [Refusal?]

    /// Writes what is pending and lets the run's jobs go. Called once, at the end of the run.
    func finish() async

    /// Warnings for the user (for example, records an earlier version left that could not be read).
    var warnings: [String] { get }

    /// Transactions committed and intents recorded so far (the cost of durability).
    func durability() async -> (commits: Int, intents: Int)

    /// The account's quota kept in the store, shared with the other processes that record there;
    /// nil when the records are this process's alone.
    var sharedQuota: (any SharedQuota)? { get }

    /// A worker's run (`RunRecordsStore.beginWorkerRun`): registers the jobs' rows in the store
    /// (idempotent: what another worker registered first is kept), and starts the lease.
    /// - Parameters:
    ///   - rows: every row of the jobs that may be sent (a worker may take over any of them).
    ///   - settled: the lines of rows settled without sending (invalid, duplicate, and rows of
    ///     `rows` an earlier run settled): registered settled, the others to be claimed.
    func joinWorkers(rows: [PlannedRow], settled: [ResultLine]) async throws(RecordingError) -> WorkerShare
}

extension RunRecords {
    public var sharedQuota: (any SharedQuota)? { nil }

    public var remembersEarlierRuns: Bool { true }

    public func joinWorkers(rows: [PlannedRow], settled: [ResultLine]) async throws(RecordingError) -> WorkerShare {
        throw .workersNotSupported("the records")
    }
}

/// Where runs keep their records: opens one run's records, taking its jobs.
public protocol RunRecordsStore: Sendable {
    /// Takes `jobs` for this run (refused with `RecordingError.jobLocked` when another run holds
    /// one) and reads what earlier runs recorded for them.
    /// - Parameters:
    ///   - sources: the paths, as given, of the files the rows come from.
    ///   - rules: each source file's `limits`/`limitKey`, by path as given.
    ///   - command: this process's command line, shown to a run refused because of this one.
    func beginRun(jobs: Set<String>, sources: Set<String>, rules: [String: JobRules], command: String)
        async throws(RecordingError)
        -> any RunRecords

    /// `beginRun` for one of several workers that run `jobs` together (`--worker`): refused while a
    /// run that is not a worker holds one of the jobs; the rows are then shared through the store
    /// (`RunRecords.joinWorkers`), claimed a chunk at a time under a lease of `lease`.
    func beginWorkerRun(
        jobs: Set<String>,
        sources: Set<String>,
        rules: [String: JobRules],
        command: String,
        lease: Duration
    ) async throws(RecordingError) -> any RunRecords

    /// The records of `jobs` for a dry run: read only, no job taken, nothing created; nil when
    /// there is no store yet (nothing was ever recorded).
    func peek(jobs: Set<String>, rules: [String: JobRules]) async throws(RecordingError) -> (any RunRecords)?

    /// Closes the store.
    func close() async
}

extension RunRecordsStore {
    public func beginWorkerRun(
        jobs: Set<String>,
        sources: Set<String>,
        rules: [String: JobRules],
        command: String,
        lease: Duration
    ) async throws(RecordingError) -> any RunRecords {
        throw .workersNotSupported("the records")
    }
}
