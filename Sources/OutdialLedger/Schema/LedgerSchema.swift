/// The ledger's tables, and the migrations that bring any earlier store up to date.
///
/// `ledger_meta` holds `schema_version` (the number of migrations applied) and the store-wide
/// settings of `outdial ledger config`. Times are whole milliseconds since 1970 (UTC).
///
/// - `jobs`: every job id the store has seen, with its first and last run.
/// - `job_locks`: the run that holds a job now (one row per running job).
/// - `attempts`: one row per row sent (its intent, then its outcome): `status` is
///   `AttemptStatus`; started, uncertain and not-yet-settled attempts count toward the limits.
/// - `suppressions`: the do-not-call list, by normalised number.
/// - `stop_requests`: `outdial stop`, per job: runs of the job that began before it stop.
/// - `quota_buckets`: the account's API quota shared by the processes of the store, one token
///   bucket per account and region (`tokens` in millionths, `pace` in thousandths of `--rate`).
enum LedgerSchema {
    /// Each migration's statements; migration `n` brings the store from version `n` to `n + 1`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE ledger_meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE jobs (
                id INTEGER PRIMARY KEY,
                job TEXT NOT NULL UNIQUE,
                first_run_at INTEGER NOT NULL,
                last_run_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE job_locks (
                job TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                process_start TEXT NOT NULL,
                command TEXT NOT NULL,
                since_at INTEGER NOT NULL,
                heartbeat_at INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE sources (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE
            )
            """,
            """
            CREATE TABLE attempts (
                id INTEGER PRIMARY KEY,
                job_id INTEGER NOT NULL REFERENCES jobs (id),
                client_token TEXT NOT NULL,
                source_id INTEGER NOT NULL REFERENCES sources (id),
                row_index INTEGER NOT NULL,
                line INTEGER NOT NULL,
                destination TEXT NOT NULL,
                instance_id TEXT NOT NULL,
                status INTEGER NOT NULL,
                contact_id TEXT,
                error_code TEXT,
                attempts INTEGER,
                intent_at INTEGER NOT NULL,
                settled_at INTEGER
            )
            """,
            "CREATE INDEX attempts_by_job ON attempts (job_id)",
            "CREATE INDEX attempts_by_destination ON attempts (destination, intent_at)",
            """
            CREATE TABLE suppressions (
                number TEXT PRIMARY KEY,
                reason TEXT,
                until_at INTEGER,
                added_at INTEGER NOT NULL
            )
            """,
        ],
        [
            """
            CREATE TABLE stop_requests (
                job TEXT PRIMARY KEY,
                reason TEXT NOT NULL,
                requested_at INTEGER NOT NULL
            )
            """
        ],
        [
            """
            CREATE TABLE quota_buckets (
                key TEXT PRIMARY KEY,
                tokens INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                pace INTEGER NOT NULL,
                throttled_at INTEGER
            )
            """
        ],
    ]

    /// The version this outdial writes.
    static var currentVersion: Int { migrations.count }
}

/// `attempts.status`.
public enum AttemptStatus: Int, Sendable, Hashable {
    /// The intent is committed; the request may be in flight (or the process died with it).
    case intent = 0
    case started = 1
    /// Connect refused it or it was never sent: it does not count toward the limits.
    case failed = 2
    /// Sent, outcome unknown: counts as started.
    case uncertain = 3

    /// The name `ledger history` and `ledger export` show.
    public var name: String {
        switch self {
        case .intent: "in-flight"
        case .started: "started"
        case .failed: "failed"
        case .uncertain: "uncertain"
        }
    }
}
