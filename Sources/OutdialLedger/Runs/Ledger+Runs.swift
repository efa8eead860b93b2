import Foundation
import OutdialBase
import OutdialCore

extension Ledger {
    /// Starts a run of `jobs`: takes each job (refused when a running process holds one), records
    /// the jobs and sources, and reads what earlier runs recorded for the jobs' rows.
    /// - Parameters:
    ///   - sources: the paths, as given, of the files the rows come from.
    ///   - rules: each source file's `limits`/`limitKey`, by path as given.
    ///   - command: this process's command line, shown to a run refused because of this one.
    ///   - earlierJournals: journals an earlier version kept per job, read for resume.
    ///   - readAhead: the rules being read whole for the run's screen, if that was started.
    /// - Throws: `RecordingError.jobLocked` (nothing was taken), or the store's errors.
    ///   - lease: for one of several workers running the jobs together (`--worker`), the lease
    ///     that keeps its rows its own; nil for a run that takes the jobs for itself.
    public func beginRun(
        jobs: Set<String>,
        sources: Set<String>,
        rules: [String: JobRules],
        command: String,
        earlierJournals: StateDirectory? = nil,
        readAhead: ScreenReadAhead? = nil,
        lease: Duration? = nil
    ) async throws(RecordingError) -> LedgerRun {
        let holder = RunHolder.current(run: RunHolder.nextRun())
        let now = nowMilliseconds()
        let leaseMilliseconds = lease.map { Int($0.inSeconds * 1000) }
        let registration: Registration
        do {
            registration = try await database.writing { () throws(LedgerDatabaseError) -> Registration in
                try await register(
                    jobs: jobs.sorted(),
                    sources: sources.sorted(),
                    holder: holder,
                    command: command,
                    now: now,
                    lease: leaseMilliseconds
                )
            }
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
        let ids: (jobs: [String: Int], sources: [String: Int])
        switch registration {
        case .locked(let job, let description):
            throw .jobLocked(job: job, holder: description)
        case .registered(let jobIds, let sourceIds):
            ids = (jobIds, sourceIds)
        }
        let journals: EarlierJournals
        do {
            journals = try EarlierJournals.load(jobs: jobs, in: earlierJournals)
        } catch {
            try? await release(holder: holder.token)
            throw error
        }
        do {
            return try await makeRun(
                holder: holder.token,
                jobIds: ids.jobs,
                sourceIds: ids.sources,
                rules: rules,
                journals: journals,
                readAhead: readAhead,
                worker: leaseMilliseconds.map { WorkerIdentity(token: holder.token, leaseMilliseconds: $0) }
            )
        } catch {
            try? await release(holder: holder.token)
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
    }

    /// The records of `jobs` as a dry run sees them: what earlier runs recorded, and the rules;
    /// nothing is taken or written (the run's `recordIntent` refuses to record).
    /// - Parameter readAhead: the rules being read whole for the screen, if that was started.
    public func peekRun(
        jobs: Set<String>,
        rules: [String: JobRules],
        earlierJournals: StateDirectory? = nil,
        readAhead: ScreenReadAhead? = nil
    ) async throws(RecordingError) -> LedgerRun {
        let journals = try EarlierJournals.load(jobs: jobs, in: earlierJournals)
        do {
            var jobIds: [String: Int] = [:]
            for job in jobs {
                let rows = try await database.query("SELECT id FROM jobs WHERE job = $1", [.text(job)])
                if let id = rows.first?.first?.integer { jobIds[job] = id }
            }
            return try await makeRun(
                holder: nil,
                jobIds: jobIds,
                sourceIds: [:],
                rules: rules,
                journals: journals,
                readAhead: readAhead
            )
        } catch {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        }
    }

    private func makeRun(
        holder: String?,
        jobIds: [String: Int],
        sourceIds: [String: Int],
        rules: [String: JobRules],
        journals: EarlierJournals,
        readAhead: ScreenReadAhead?,
        worker: WorkerIdentity? = nil
    ) async throws(LedgerDatabaseError) -> LedgerRun {
        let defaults = try await readDefaults()
        var earlier: [String: [String: JournalState.Entry]] = [:]
        for (job, id) in jobIds {
            earlier[job] = try await earlierEntries(jobId: id)
        }
        return LedgerRun(
            ledger: self,
            holder: holder,
            startedAt: nowMilliseconds(),
            jobIds: jobIds,
            sourceIds: sourceIds,
            rules: rules,
            defaults: defaults,
            earlier: earlier,
            legacy: journals.states,
            warnings: journals.warnings,
            readAhead: readAhead,
            worker: worker
        )
    }

    /// Lets the jobs held by `holder` go (as a worker: leaves them to the other workers).
    func release(holder: String) async throws(LedgerDatabaseError) {
        try await database.session { session throws(LedgerDatabaseError) in
            try session.execute("DELETE FROM job_locks WHERE holder = $1", [.text(holder)])
            try Self.leave(holder, in: session)
        }
    }

    private enum Registration: Sendable {
        case locked(job: String, holder: String)
        case registered(jobs: [String: Int], sources: [String: Int])
    }

    private func register(
        jobs: [String],
        sources: [String],
        holder: RunHolder,
        command: String,
        now: Int,
        lease: Int?
    ) async throws(LedgerDatabaseError) -> Registration {
        for job in jobs {
            let rows = try await database.query(
                "SELECT host, pid, process_start, command, since_at FROM job_locks WHERE job = $1",
                [.text(job)]
            )
            if let row = rows.first, row.count == 5, let host = row[0].text, let pid = row[1].integer,
                let start = row[2].text, RunHolder.isRunning(host: host, pid: pid, processStart: start)
            {
                let since = row[4].integer.map { UTCTimestamp(millisecondsSince1970: Int64($0)).rfc3339 } ?? "?"
                return .locked(job: job, holder: "pid \(pid) on \(host) since \(since): \(row[3].text ?? "")")
            }
            // Workers share a job; a run that takes it for itself waits until they are gone.
            if lease != nil { continue }
            let workers = try await database.query(
                """
                SELECT w.host, w.pid, w.command FROM workers w JOIN jobs j ON j.id = w.job_id
                WHERE j.job = $1 AND w.lease_until >= $2 ORDER BY w.since_at
                """,
                [.text(job), .integer(now)]
            )
            if let row = workers.first, row.count == 3 {
                let count = workers.count
                return .locked(
                    job: job,
                    holder:
                        "\(count) worker\(count == 1 ? "" : "s") (--worker), the first pid \(row[1].integer ?? 0) on "
                        + "\(row[0].text ?? "?"): \(row[2].text ?? "")"
                )
            }
            try await database.execute(
                """
                INSERT INTO job_locks (job, holder, host, pid, process_start, command, since_at, heartbeat_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, host = excluded.host, pid = excluded.pid,
                    process_start = excluded.process_start, command = excluded.command, since_at = excluded.since_at,
                    heartbeat_at = excluded.heartbeat_at
                """,
                [
                    .text(job), .text(holder.token), .text(holder.host), .integer(holder.pid),
                    .text(holder.processStart), .text(command), .integer(now),
                ]
            )
        }
        var jobIds: [String: Int] = [:]
        for job in jobs {
            let rows = try await database.query(
                """
                INSERT INTO jobs (job, first_run_at, last_run_at) VALUES ($1, $2, $2)
                ON CONFLICT (job) DO UPDATE SET last_run_at = excluded.last_run_at
                RETURNING id
                """,
                [.text(job), .integer(now)]
            )
            guard let id = rows.first?.first?.integer else {
                throw LedgerDatabaseError(.other, "job \(job) was not recorded")
            }
            jobIds[job] = id
        }
        var sourceIds: [String: Int] = [:]
        for source in sources {
            let rows = try await database.query(
                "INSERT INTO sources (path) VALUES ($1) ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id",
                [.text(source)]
            )
            guard let id = rows.first?.first?.integer else {
                throw LedgerDatabaseError(.other, "a source was not recorded")
            }
            sourceIds[source] = id
        }
        if let lease {
            for job in jobs {
                guard let id = jobIds[job] else { continue }
                let live = try await database.query(
                    "SELECT COUNT(*) FROM workers WHERE job_id = $1 AND lease_until >= $2",
                    [.integer(id), .integer(now)]
                )
                if (live.first?.first?.integer ?? 0) == 0 {
                    // The first worker of a new round: the rows the last round failed or skipped
                    // are sent again, as a run of the job on one machine would.
                    try await database.execute(
                        """
                        UPDATE job_rows SET state = \(JobRowState.pending.rawValue), worker = NULL, result = NULL
                        WHERE job_id = $1 AND state = \(JobRowState.settled.rawValue) AND reopen = 1
                        """,
                        [.integer(id)]
                    )
                }
                try await database.execute(
                    """
                    INSERT INTO workers (worker, job_id, host, pid, command, since_at, lease_until)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """,
                    [
                        .text(holder.token), .integer(id), .text(holder.host), .integer(holder.pid), .text(command),
                        .integer(now), .integer(now + lease),
                    ]
                )
            }
        }
        return .registered(jobs: jobIds, sources: sourceIds)
    }

    /// What earlier runs made of each row of a job, by ClientToken: the latest attempt, except
    /// that a started one is never forgotten.
    private func earlierEntries(jobId: Int) async throws(LedgerDatabaseError) -> [String: JournalState.Entry] {
        let rows = try await database.query(
            "SELECT client_token, status, contact_id, error_code FROM attempts WHERE job_id = $1 ORDER BY id",
            [.integer(jobId)]
        )
        var entries: [String: JournalState.Entry] = [:]
        for row in rows {
            guard row.count == 4, let token = row[0].text, let code = row[1].integer,
                let status = AttemptStatus(rawValue: code)
            else { continue }
            if case .started = entries[token] { continue }
            switch status {
            case .started: entries[token] = .started(contactId: row[2].text ?? "")
            case .intent, .uncertain: entries[token] = .uncertain
            case .failed: entries[token] = .failed(code: row[3].text ?? "")
            }
        }
        return entries
    }
}

/// The journals an earlier version kept for some jobs, read for resume (never written): each
/// job's journal, and the one kept under the job's former file name (ids that needed escaping).
/// Rows are matched by ClientToken, which only that job's rows carry.
struct EarlierJournals {
    /// By job, the journals that recorded anything, today's name first.
    var states: [String: [JournalState]] = [:]
    /// One per journal with lines that could not be read.
    var warnings: [String] = []

    /// - Throws: `RecordingError.journalUnreadable` when a journal exists but cannot be read (its
    ///   rows might have been started: the run must not go on as if they were not).
    static func load(jobs: Set<String>, in directory: StateDirectory?) throws(RecordingError) -> EarlierJournals {
        var journals = EarlierJournals()
        guard let directory else { return journals }
        for job in jobs.sorted() {
            for path in [directory.journalPath(job: job)] + (directory.legacyJournalPath(job: job).map { [$0] } ?? []) {
                let state = try JournalState.load(path: path)
                if let warning = state.warning(path: path) { journals.warnings.append(warning) }
                if !state.isEmpty { journals.states[job, default: []].append(state) }
            }
        }
        return journals
    }
}
