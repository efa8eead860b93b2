import Foundation
import OutdialBase
import OutdialCore

/// `job_rows.state`.
enum JobRowState: Int, Sendable {
    /// Registered, not claimed: any worker may take it.
    case pending = 0
    /// Claimed by `worker`, whose lease must be alive for the row to start.
    case claimed = 1
    /// Settled: `result` holds its result line.
    case settled = 2
}

/// A row of a job, as the store keys it.
struct JobRowKey: Hashable, Sendable {
    var sourceId: Int
    var row: Int
}

/// A row as it is registered.
struct RegisteredRow: Sendable {
    var key: JobRowKey
    var position: Int
    var line: Int
    var destination: String
    var clientToken: String
    /// The result line of a row registered settled (invalid, duplicate, settled by an earlier run).
    var result: String?
    var reopen: Bool
}

/// What a worker's claim got.
enum WorkerClaim: Sendable {
    /// Rows claimed now, and rows taken over from workers whose lease ran out, with what their
    /// attempts say (by ClientToken).
    case rows([JobRowKey], earlier: [String: JournalState.Entry])
    /// No row is free, but other workers hold some until at most this time (ms since 1970).
    case wait(until: Int)
    /// Every row of the job is settled (or this worker is the only one left holding rows).
    case done
    /// This worker's lease is gone (it ran out, and another worker may have its rows).
    case leaseLost
}

/// One job run by several workers (ledger.md, "Many machines"): the job's rows registered once,
/// claimed a chunk at a time under a lease each worker renews, taken over by the others when a
/// worker's lease runs out. The lease is the only thing that decides who holds a row: a claim
/// checks it, and the intent of a row (`decide` in Ledger+Claims.swift) checks it again, in the
/// transaction that records the intent. Times are the workers' wall clocks (NTP-kept).
extension Ledger {
    /// Registers rows of `jobId` (one transaction per piece; what is there already is kept).
    /// - Returns: the keys of the rows registered settled by this call (a later registration of
    ///   the same job registers none): their lines are this worker's to write.
    func registerRows(jobId: Int, _ rows: [RegisteredRow]) async throws(RecordingError) -> Set<JobRowKey> {
        var inserted: Set<JobRowKey> = []
        for piece in rows.pieces(of: Self.registrationPiece) {
            let values = ValuesTable(
                piece.map { row in
                    [
                        .integer(jobId), .integer(row.key.sourceId), .integer(row.key.row), .integer(row.position),
                        .integer(row.line), .text(row.destination), .text(row.clientToken),
                        .integer(row.result == nil ? JobRowState.pending.rawValue : JobRowState.settled.rawValue),
                        .text(row.result), .integer(row.reopen ? 1 : 0),
                    ]
                },
                types: ["BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "BIGINT", "TEXT", "BIGINT"],
                after: 0
            )
            let keys = try await changing { session throws(LedgerDatabaseError) -> [JobRowKey] in
                let inserted = try session.query(
                    """
                    INSERT INTO job_rows (job_id, source_id, row_index, position, line, destination, client_token,
                        state, result, reopen)
                    VALUES \(values.sql)
                    ON CONFLICT (job_id, source_id, row_index) DO NOTHING
                    RETURNING source_id, row_index, state
                    """,
                    values.binds
                )
                return inserted.compactMap { row in
                    guard row.count == 3, let source = row[0].integer, let index = row[1].integer,
                        row[2].integer == JobRowState.settled.rawValue
                    else { return nil }
                    return JobRowKey(sourceId: source, row: index)
                }
            }
            inserted.formUnion(keys)
        }
        return inserted
    }

    /// Rows registered per transaction (ten values bound per row).
    static let registrationPiece = 500

    /// Claims up to `count` free rows of `jobs` for `worker`, first taking over the rows of workers
    /// whose lease has run out (their attempts say what became of them).
    func claimRows(
        jobs: [Int],
        worker: String,
        count: Int
    ) async throws(RecordingError) -> [Int: WorkerClaim] {
        let now = nowMilliseconds()
        let skipLocked = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await changing { session throws(LedgerDatabaseError) -> [Int: WorkerClaim] in
            var claims: [Int: WorkerClaim] = [:]
            for job in jobs {
                let lease = try session.query(
                    "SELECT lease_until FROM workers WHERE worker = $1 AND job_id = $2",
                    [.text(worker), .integer(job)]
                )
                guard let until = lease.first?.first?.integer, until >= now else {
                    claims[job] = .leaseLost
                    continue
                }
                // Rows held by no live lease: their worker died, was cut off, or ended without
                // settling them.
                let taken = try session.query(
                    """
                    UPDATE job_rows SET worker = $1
                    WHERE job_id = $2 AND state = \(JobRowState.claimed.rawValue) AND worker NOT IN (
                        SELECT worker FROM workers WHERE job_id = $2 AND lease_until >= $3)
                    RETURNING source_id, row_index, client_token
                    """,
                    [.text(worker), .integer(job), .integer(now)]
                )
                let claimed = try session.query(
                    """
                    UPDATE job_rows SET state = \(JobRowState.claimed.rawValue), worker = $1
                    WHERE job_id = $2 AND (source_id, row_index) IN (
                        SELECT source_id, row_index FROM job_rows
                        WHERE job_id = $2 AND state = \(JobRowState.pending.rawValue)
                        ORDER BY position LIMIT $3\(skipLocked))
                    RETURNING source_id, row_index, client_token
                    """,
                    [.text(worker), .integer(job), .integer(count)]
                )
                // A free row may have been given back after its request went out (a worker that
                // ended without writing its line): its attempts count as much as a taken row's.
                let earlier = try Self.attempts(
                    ofTokens: (taken + claimed).compactMap { $0.count == 3 ? $0[2].text : nil },
                    job: job,
                    in: session
                )
                let keys = (taken + claimed).compactMap { row -> JobRowKey? in
                    guard row.count >= 2, let source = row[0].integer, let index = row[1].integer else { return nil }
                    return JobRowKey(sourceId: source, row: index)
                }
                if !keys.isEmpty {
                    claims[job] = .rows(keys, earlier: earlier)
                    continue
                }
                let held = try session.query(
                    """
                    SELECT MAX(w.lease_until) FROM job_rows r JOIN workers w ON w.worker = r.worker AND w.job_id = r.job_id
                    WHERE r.job_id = $1 AND r.state = \(JobRowState.claimed.rawValue) AND r.worker <> $2
                    """,
                    [.integer(job), .text(worker)]
                )
                if let until = held.first?.first?.integer {
                    claims[job] = .wait(until: until)
                } else {
                    claims[job] = .done
                }
            }
            return claims
        }
    }

    /// What the attempts of `job` say of the rows with `tokens` (a worker's rows taken over): a
    /// started contact, or a request whose outcome never came (now `uncertain` in the store too).
    private static func attempts(ofTokens tokens: [String], job: Int, in session: any LedgerSession)
        throws(LedgerDatabaseError) -> [String: JournalState.Entry]
    {
        var entries: [String: JournalState.Entry] = [:]
        for piece in tokens.pieces(of: 500) {
            let marks = (0 ..< piece.count).map { "$\($0 + 2)" }.joined(separator: ", ")
            let binds = [SQLValue.integer(job)] + piece.map { .text($0) }
            try session.forEachRow(
                "SELECT client_token, status, contact_id FROM attempts WHERE job_id = $1 AND client_token IN (\(marks)) ORDER BY id",
                binds
            ) { row throws(LedgerDatabaseError) in
                guard let token = row.text(0), let code = row.integer(1), let status = AttemptStatus(rawValue: code)
                else { return }
                if case .started = entries[token] { return }
                switch status {
                case .started: entries[token] = .started(contactId: row.text(2) ?? "")
                case .intent, .uncertain: entries[token] = .uncertain
                case .failed: break
                }
            }
            try session.execute(
                """
                UPDATE attempts SET status = \(AttemptStatus.uncertain.rawValue), error_code = 'OutcomeUnknown'
                WHERE job_id = $1 AND status = \(AttemptStatus.intent.rawValue) AND client_token IN (\(marks))
                """,
                binds
            )
        }
        return entries
    }

    /// Renews `worker`'s lease on every job it runs until `leaseMilliseconds` from now.
    /// - Returns: false when the worker is no longer known (its leases were removed).
    func renewLease(worker: String, leaseMilliseconds: Int) async throws(RecordingError) -> Bool {
        let now = nowMilliseconds()
        // A lease that ran out stays out: another worker may have its rows, or a run of the job
        // for itself may have begun.
        let rows = try await changing { session throws(LedgerDatabaseError) in
            try session.query(
                "UPDATE workers SET lease_until = $2 WHERE worker = $1 AND lease_until >= $3 RETURNING job_id",
                [.text(worker), .integer(now + leaseMilliseconds), .integer(now)]
            )
        }
        return !rows.isEmpty
    }

    /// A settled row's line, or a row given back (`line` nil): applied only to rows `worker` still
    /// holds.
    struct SettledJobRow: Sendable {
        var job: Int
        var key: JobRowKey
        var line: String?
        var reopen: Bool
    }

    /// Writes settled rows and rows given back, for rows `worker` still holds (one transaction, a
    /// statement for many rows).
    func settleRows(_ rows: [SettledJobRow], worker: String) async throws(RecordingError) {
        guard !rows.isEmpty else { return }
        try await changing { session throws(LedgerDatabaseError) in
            for job in Set(rows.map(\.job)).sorted() {
                let ofJob = rows.filter { $0.job == job }
                for piece in ofJob.pieces(of: 200) {
                    try Self.settle(piece.filter { $0.line != nil }, job: job, worker: worker, in: session)
                    try Self.giveBack(piece.filter { $0.line == nil }, job: job, worker: worker, in: session)
                }
            }
        }
    }

    /// Settles `rows` of `job` with their lines.
    private static func settle(_ rows: [SettledJobRow], job: Int, worker: String, in session: any LedgerSession)
        throws(LedgerDatabaseError)
    {
        guard !rows.isEmpty else { return }
        let values = ValuesTable(
            rows.map {
                [.integer($0.key.sourceId), .integer($0.key.row), .text($0.line), .integer($0.reopen ? 1 : 0)]
            },
            types: ["BIGINT", "BIGINT", "TEXT", "BIGINT"],
            after: 2
        )
        try session.execute(
            """
            WITH v (source_id, row_index, result, reopen) AS (VALUES \(values.sql))
            UPDATE job_rows SET state = \(JobRowState.settled.rawValue), result = v.result, reopen = v.reopen
            FROM v WHERE \(heldByWorker)
            """,
            [.integer(job), .text(worker)] + values.binds
        )
    }

    /// Gives `rows` of `job` back to the workers.
    private static func giveBack(_ rows: [SettledJobRow], job: Int, worker: String, in session: any LedgerSession)
        throws(LedgerDatabaseError)
    {
        guard !rows.isEmpty else { return }
        let values = ValuesTable(
            rows.map { [.integer($0.key.sourceId), .integer($0.key.row)] },
            types: ["BIGINT", "BIGINT"],
            after: 2
        )
        try session.execute(
            """
            WITH v (source_id, row_index) AS (VALUES \(values.sql))
            UPDATE job_rows SET state = \(JobRowState.pending.rawValue), worker = NULL
            FROM v WHERE \(heldByWorker)
            """,
            [.integer(job), .text(worker)] + values.binds
        )
    }

    /// The rows of `v` that the worker `$2` holds in the job `$1`.
    private static let heldByWorker = """
        job_rows.job_id = $1 AND job_rows.source_id = v.source_id AND job_rows.row_index = v.row_index
            AND job_rows.worker = $2 AND job_rows.state = \(JobRowState.claimed.rawValue)
        """

    /// `worker` leaves its jobs: its lease ends now, and any row it still holds goes to the others.
    func leaveJobs(worker: String) async throws(RecordingError) {
        try await changing { session throws(LedgerDatabaseError) in try Self.leave(worker, in: session) }
    }

    /// The statements of `leaveJobs(worker:)`, for a transaction that does more.
    static func leave(_ worker: String, in session: any LedgerSession) throws(LedgerDatabaseError) {
        try session.execute(
            """
            UPDATE job_rows SET state = \(JobRowState.pending.rawValue), worker = NULL
            WHERE worker = $1 AND state = \(JobRowState.claimed.rawValue)
            """,
            [.text(worker)]
        )
        try session.execute("DELETE FROM workers WHERE worker = $1", [.text(worker)])
    }

    /// One line a row of `job`, in the order of the job's files and rows: the line the row settled
    /// with, else one saying it is not settled yet (`pending`, with the worker holding it).
    public func jobResults(job: String) async throws(RecordingError) -> [String]? {
        let ids = try await reading("SELECT id FROM jobs WHERE job = $1", [.text(job)])
        guard let id = ids.first?.first?.integer else { return nil }
        let rows = try await reading(
            """
            SELECT s.path, r.row_index, r.line, r.destination, r.client_token, r.state, r.worker, r.result
            FROM job_rows r JOIN sources s ON s.id = r.source_id
            WHERE r.job_id = $1 ORDER BY s.path, r.row_index
            """,
            [.integer(id)]
        )
        return rows.compactMap { row -> String? in
            guard row.count == 8, let source = row[0].text, let index = row[1].integer, let line = row[2].integer,
                let destination = row[3].text, let token = row[4].text
            else { return nil }
            if let result = row[7].text { return result }
            var writer = JSONWriter()
            writer.beginObject()
            writer.field(plain: "job", job)
            writer.field(plain: "source", source)
            writer.field(plain: "row", index)
            writer.field(plain: "line", line)
            writer.field(plain: "destination", destination)
            writer.field(plain: "clientToken", token)
            writer.field(plain: "status", "pending")
            if let worker = row[6].text { writer.field(plain: "worker", worker) }
            writer.endObject()
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    /// Runs `body` in a writing transaction that need not reach the disk before it returns
    /// (claims of rows, leases, result lines, the shared quota: what protects a call is its
    /// intent).
    func changing<T: Sendable>(
        _ body: @escaping @Sendable (any LedgerSession) throws(LedgerDatabaseError) -> T
    ) async throws(RecordingError) -> T {
        do {
            return try await database.session { session throws(LedgerDatabaseError) -> T in
                try session.setDurableCommits(false)
                return try session.writing { () throws(LedgerDatabaseError) -> T in try body(session) }
            }
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: false)
        }
    }
}
