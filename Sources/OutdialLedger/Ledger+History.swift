import OutdialBase
import OutdialCore

/// A moment given on the command line: some time before now (`7d`), or a fixed time.
public enum LedgerTime: Sendable, Hashable {
    case ago(seconds: Int)
    case at(UTCTimestamp)

    /// Milliseconds since 1970, `now` being the ledger's clock.
    func milliseconds(now: Int) -> Int {
        switch self {
        case .ago(let seconds): now - Self.milliseconds(seconds)
        case .at(let time): Int(time.millisecondsSince1970)
        }
    }

    /// `seconds` in milliseconds, at most some 30,000 years' worth (no overflow on any input).
    static func milliseconds(_ seconds: Int) -> Int {
        min(seconds, 1_000_000_000_000) * 1000
    }
}

/// One attempt to call a number, as `ledger history` shows it.
public struct HistoryEntry: Sendable, Hashable {
    public var job: String
    public var source: String
    public var row: Int
    public var line: Int
    public var instanceId: String
    public var status: AttemptStatus
    public var contactId: String?
    public var errorCode: String?
    /// When the intent was committed (just before the request left).
    public var intentAt: UTCTimestamp
    /// When the outcome was recorded; nil while in flight (or when the process died with it).
    public var settledAt: UTCTimestamp?
    /// Requests sent for the row in that run (retries included), once settled.
    public var attempts: Int?

    /// The entry as one JSON object (no line break).
    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("job", job)
        writer.field("source", source)
        writer.field("row", row)
        writer.field("line", line)
        writer.field("instanceId", instanceId)
        writer.field("status", status.name)
        writer.optionalField("contactId", contactId)
        writer.optionalField("error", errorCode)
        writer.field("intentAt", intentAt.rfc3339)
        writer.optionalField("settledAt", settledAt?.rfc3339)
        if let attempts { writer.field("attempts", attempts) } else { writer.key("attempts"); writer.null() }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// A job the ledger has seen, as `ledger jobs` shows it.
public struct JobRecord: Sendable, Hashable {
    public var job: String
    /// Rows with at least one attempt.
    public var rows: Int
    /// Attempts started, failed, and uncertain (outcome unknown, or intent without outcome).
    public var started: Int
    public var failed: Int
    public var uncertain: Int
    public var firstRun: UTCTimestamp
    public var lastRun: UTCTimestamp

    /// The record as one JSON object (no line break).
    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("job", job)
        writer.field("rows", rows)
        writer.field("started", started)
        writer.field("failed", failed)
        writer.field("uncertain", uncertain)
        writer.field("firstRun", firstRun.rfc3339)
        writer.field("lastRun", lastRun.rfc3339)
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// What `prune` deleted.
public struct PruneSummary: Sendable, Hashable {
    public var attempts: Int
    public var jobs: Int
    public var suppressions: Int
}

extension Ledger {
    /// Every attempt to call one number, every job, newest first. Reads the
    /// `attempts_by_destination` index only for that number.
    static let historyQuery = """
        SELECT j.job, s.path, a.row_index, a.line, a.instance_id, a.status, a.contact_id, a.error_code,
            a.intent_at, a.settled_at, a.attempts
        FROM attempts a JOIN jobs j ON j.id = a.job_id JOIN sources s ON s.id = a.source_id
        WHERE a.destination = $1
        ORDER BY a.intent_at DESC, a.id DESC
        """

    /// One page of attempts, in id order: the page is chosen on `attempts` alone (its primary key,
    /// from the last id of the page before), then joined, so no page reads more than its rows.
    static let exportQuery = """
        SELECT a.id, j.job, s.path, a.row_index, a.line, a.destination, a.client_token, a.instance_id, a.status,
            a.contact_id, a.error_code, a.intent_at, a.settled_at
        FROM (
            SELECT * FROM attempts WHERE id > $1 AND intent_at >= $2 ORDER BY id LIMIT $3
        ) a JOIN jobs j ON j.id = a.job_id JOIN sources s ON s.id = a.source_id
        ORDER BY a.id
        """

    /// Every attempt to call `number` (normalised as job rows are), every job, newest first.
    /// - Throws: `LedgerInputError.invalidPhoneNumber`, or the store's `RecordingError`.
    public func history(number text: String) async throws -> [HistoryEntry] {
        guard let number = PhoneNumber.normalise(text) else { throw LedgerInputError.invalidPhoneNumber(text) }
        return try await reading(Self.historyQuery, [.text(number)]).compactMap { row in
            guard row.count == 11, let job = row[0].text, let source = row[1].text, let index = row[2].integer,
                let line = row[3].integer, let instance = row[4].text, let code = row[5].integer,
                let status = AttemptStatus(rawValue: code), let intent = row[8].integer
            else { return nil }
            return HistoryEntry(
                job: job,
                source: source,
                row: index,
                line: line,
                instanceId: instance,
                status: status,
                contactId: row[6].text,
                errorCode: row[7].text,
                intentAt: UTCTimestamp(millisecondsSince1970: Int64(intent)),
                settledAt: row[9].integer.map { UTCTimestamp(millisecondsSince1970: Int64($0)) },
                attempts: row[10].integer
            )
        }
    }

    /// Every job the ledger has seen, the most recently run first. The attempts are counted in one
    /// pass over the table (`+job_id` keeps SQLite from walking `attempts_by_job`, which reads
    /// the rows in random order and is several times slower on a large store).
    public func jobs() async throws(RecordingError) -> [JobRecord] {
        let rows = try await reading(
            """
            SELECT j.job, j.first_run_at, j.last_run_at, a.row_count, a.started, a.failed, a.uncertain
            FROM jobs j LEFT JOIN (
                SELECT +job_id AS job_ref, count(DISTINCT client_token) AS row_count,
                    sum(CASE WHEN status = \(AttemptStatus.started.rawValue) THEN 1 ELSE 0 END) AS started,
                    sum(CASE WHEN status = \(AttemptStatus.failed.rawValue) THEN 1 ELSE 0 END) AS failed,
                    sum(CASE WHEN status IN (\(AttemptStatus.uncertain.rawValue), \(AttemptStatus.intent.rawValue))
                        THEN 1 ELSE 0 END) AS uncertain
                FROM attempts GROUP BY job_ref
            ) a ON a.job_ref = j.id
            ORDER BY j.last_run_at DESC, j.id DESC
            """,
            []
        )
        return rows.compactMap { row in
            guard row.count == 7, let job = row[0].text, let first = row[1].integer, let last = row[2].integer else {
                return nil
            }
            return JobRecord(
                job: job,
                rows: row[3].integer ?? 0,
                started: row[4].integer ?? 0,
                failed: row[5].integer ?? 0,
                uncertain: row[6].integer ?? 0,
                firstRun: UTCTimestamp(millisecondsSince1970: Int64(first)),
                lastRun: UTCTimestamp(millisecondsSince1970: Int64(last))
            )
        }
    }

    /// Attempts committed at or after `since`, as NDJSON lines in the order they were recorded,
    /// read a page at a time (keyset pagination on the attempt's id): the table is never in
    /// memory whole.
    /// - Parameters:
    ///   - pageSize: attempts read per statement.
    ///   - write: takes each page's lines (each ends in a line break); may throw to stop.
    /// - Returns: how many attempts were written.
    /// - Throws: what `write` throws, or the store's `RecordingError`.
    nonisolated(nonsending) public func export(
        since: LedgerTime,
        pageSize: Int = 1000,
        write: ([UInt8]) throws -> Void
    ) async throws -> Int {
        let cutoff = since.milliseconds(now: nowMilliseconds())
        var after = 0
        var count = 0
        while true {
            let page = try await exportPage(since: cutoff, after: after, limit: max(1, pageSize))
            guard let last = page.last else { return count }
            try write(page.bytes)
            count += page.count
            after = last
        }
    }

    /// One page of `export`: the lines of up to `limit` attempts with ids above `after`.
    func exportPage(since: Int, after: Int, limit: Int) async throws(RecordingError)
        -> (bytes: [UInt8], count: Int, last: Int?)
    {
        let rows = try await reading(Self.exportQuery, [.integer(after), .integer(since), .integer(limit)])
        var writer = JSONWriter(capacity: rows.count * 400)
        var last: Int?
        for row in rows {
            guard row.count == 13, let id = row[0].integer else { continue }
            last = id
            let status = row[8].integer.flatMap(AttemptStatus.init(rawValue:))
            writer.beginObject()
            writer.field("job", row[1].text ?? "")
            writer.field("source", row[2].text ?? "")
            writer.field("row", row[3].integer ?? 0)
            writer.field("line", row[4].integer ?? 0)
            writer.field("destination", row[5].text ?? "")
            writer.field("clientToken", row[6].text ?? "")
            writer.field("instanceId", row[7].text ?? "")
            writer.field("status", status?.name ?? "unknown")
            writer.optionalField("contactId", row[9].text)
            writer.optionalField("error", row[10].text)
            writer.optionalField(
                "intentAt",
                row[11].integer.map { UTCTimestamp(millisecondsSince1970: Int64($0)).rfc3339 }
            )
            writer.optionalField(
                "settledAt",
                row[12].integer.map { UTCTimestamp(millisecondsSince1970: Int64($0)).rfc3339 }
            )
            writer.endObject()
            writer.newline()
        }
        return (writer.bytes, rows.count, last)
    }

    /// The longest window the store's default limits count attempts in: the configured
    /// defaults' longest, else the built-in `{max: 1, per: 24h}` (also when the defaults are
    /// `off`: a job may still set limits of its own).
    public func longestLimitWindow() async throws(RecordingError) -> Int {
        let configured = try await self.defaults()
        if case .limits(let list) = configured.limits, let longest = list.map(\.perSeconds).max() { return longest }
        return ContactLimit.standard.perSeconds
    }

    /// Deletes what the ledger no longer needs, in one transaction: settled attempts (started,
    /// failed, uncertain) committed more than `seconds` ago, jobs left with no attempts (unless
    /// running, or run since), and suppressions that have ended. Attempts in flight are kept.
    /// - Parameter force: prune even within the longest limit window (the limits would no
    ///   longer see the deleted attempts).
    /// - Throws: `LedgerInputError.pruneWithinLimitWindow`, or the store's `RecordingError`.
    public func prune(olderThan seconds: Int, force: Bool = false) async throws -> PruneSummary {
        let window = try await longestLimitWindow()
        if seconds < window, !force {
            throw LedgerInputError.pruneWithinLimitWindow(olderThan: seconds, window: window)
        }
        let now = nowMilliseconds()
        let cutoff = now - LedgerTime.milliseconds(seconds)
        let settled = [AttemptStatus.started, .failed, .uncertain].map { String($0.rawValue) }.joined(separator: ", ")
        return try await writingStore { () throws(LedgerDatabaseError) -> PruneSummary in
            let attempts = try await count(
                "SELECT count(*) FROM attempts WHERE intent_at < $1 AND status IN (\(settled))",
                [.integer(cutoff)]
            )
            try await database.execute(
                "DELETE FROM attempts WHERE intent_at < $1 AND status IN (\(settled))",
                [.integer(cutoff)]
            )
            let unused = """
                FROM jobs WHERE last_run_at < $1
                    AND NOT EXISTS (SELECT 1 FROM attempts WHERE attempts.job_id = jobs.id)
                    AND NOT EXISTS (SELECT 1 FROM job_locks WHERE job_locks.job = jobs.job)
                """
            let jobs = try await count("SELECT count(*) " + unused, [.integer(cutoff)])
            try await database.execute("DELETE " + unused, [.integer(cutoff)])
            let ended = "FROM suppressions WHERE until_at IS NOT NULL AND until_at <= $1"
            let suppressions = try await count("SELECT count(*) " + ended, [.integer(now)])
            try await database.execute("DELETE " + ended, [.integer(now)])
            return PruneSummary(attempts: attempts, jobs: jobs, suppressions: suppressions)
        }
    }

    private func count(_ sql: String, _ binds: [SQLValue]) async throws(LedgerDatabaseError) -> Int {
        try await database.query(sql, binds).first?.first?.integer ?? 0
    }
}

extension JSONWriter {
    /// `"name": value`, or `"name": null` when `value` is nil.
    mutating func optionalField(_ name: String, _ value: String?) {
        if let value {
            field(name, value)
        } else {
            key(name)
            null()
        }
    }
}
