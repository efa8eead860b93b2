/// The rows of a job several worker processes run together (`--worker`; ledger.md, "Many
/// machines"), as one worker gets them: claimed from the store a chunk at a time, under a lease
/// the worker keeps alive. The executor asks for the next chunk when it runs short of rows.
public protocol RowFeed: Sendable {
    /// The next rows this worker is to settle; nil when no row of the job is left for any worker
    /// (or this worker lost its lease). Waits while other workers hold the job's last rows: a
    /// worker that dies leaves them to this one when its lease runs out.
    func next() async -> RowBatch?

    /// Whether this worker's lease is certainly still its own: rows start only while it is.
    func lease() -> LeaseState

    /// `line` settles its row in the store (only a row this worker still holds).
    func settled(_ line: ResultLine)
}

/// What a worker knows of its lease.
public enum LeaseState: Sendable, Hashable {
    /// Renewed recently enough: rows may start.
    case held
    /// Not renewed lately (the store is slow or out of reach): rows wait for the next renewal.
    case unsure
    /// Run out: another worker may have its rows. Nothing more starts.
    case lost
}

/// A chunk of rows claimed by a worker.
public struct RowBatch: Sendable {
    /// The rows, in the order of the job.
    public var rows: [PlannedRow]
    /// What is known of rows taken over from a worker whose lease ran out, by ClientToken: a
    /// request it sent (`uncertain`, never sent again without `--redial-uncertain`) or a contact
    /// it started.
    public var earlier: [String: JournalState.Entry]

    public init(rows: [PlannedRow], earlier: [String: JournalState.Entry] = [:]) {
        self.rows = rows
        self.earlier = earlier
    }
}

/// A worker's share of a job: the lines it writes for rows settled as the job was registered, and
/// the feed of the rows it claims.
public struct WorkerShare: Sendable {
    /// The lines of the rows this worker registered already settled (`invalid`, `duplicate`, and
    /// rows an earlier run settled); another worker that registers the same job later writes none.
    public var settled: [ResultLine]
    public var feed: any RowFeed

    public init(settled: [ResultLine], feed: any RowFeed) {
        self.settled = settled
        self.feed = feed
    }
}

extension RecordingError {
    /// Running one job on several workers needs a store that takes workers.
    public static func workersNotSupported(_ what: String) -> RecordingError {
        .ledgerUnusable(what, "these records cannot share a job between workers (--worker needs the ledger)")
    }
}

extension ErrorCode {
    /// A worker's lease on its rows ran out: it starts nothing more, the other workers take its rows.
    public static let leaseLost = "LeaseLost"
}
