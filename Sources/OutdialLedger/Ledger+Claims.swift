import Foundation
import OutdialBase
import OutdialCore

/// One row asking to be sent: decided (suppression, limits) and, when allowed, recorded as an
/// intent, in the same transaction as every other claim that arrived meanwhile.
struct ClaimRequest: Sendable {
    var jobId: Int
    var sourceId: Int
    var clientToken: String
    var row: Int
    var line: Int
    var destination: String
    var instanceId: String
    var limits: [ContactLimit]
    var limitKey: LimitKey
    /// When the run began (ms since 1970): an `outdial stop` of the job since then refuses the row.
    var runStartedAt: Int
    /// The worker that claimed the row (`--worker`): it must still hold it under a live lease.
    var worker: String?
}

/// The answer to one claim: the attempt's id when recorded.
enum ClaimAnswer: Sendable {
    case recorded(attemptId: Int)
    case refused(Refusal)
}

struct PendingClaim {
    var request: ClaimRequest
    var continuation: CheckedContinuation<ClaimAnswer, any Error>
}

struct PendingOutcome: Sendable {
    var attemptId: Int
    var status: AttemptStatus
    var contactId: String?
    var errorCode: String?
    var attempts: Int?
    var at: Int
    /// Resumed once the transaction holding the outcome has ended (committed or failed).
    var written: CheckedContinuation<Void, Never>?
}

extension Ledger {
    /// Decides `request` and, when allowed, commits its intent. Returns once the transaction that
    /// holds it is committed (durable).
    func claim(_ request: ClaimRequest) async throws(RecordingError) -> ClaimAnswer {
        if let failure { throw failure }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                pendingClaims.append(PendingClaim(request: request, continuation: continuation))
                startFlushing()
            }
        } catch let error as RecordingError {
            throw error
        } catch {
            throw .ledgerWriteFailed(path, "\(error)")
        }
    }

    /// Records the outcome of an attempt with the next transaction, and returns once that
    /// transaction has ended: a results line written after this has its outcome in the store,
    /// so a `kill -9` just after it does not turn a started row into an uncertain one.
    func recordAndWait(_ outcome: PendingOutcome) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            var outcome = outcome
            outcome.written = continuation
            pendingOutcomes.append(outcome)
            startFlushing()
        }
    }

    /// Returns once every queued claim and outcome is committed (or has failed).
    public func synchronize() async {
        while flushing || !pendingOutcomes.isEmpty || !pendingClaims.isEmpty {
            if !flushing { startFlushing() }
            await waitForFlush()
        }
    }

    private func waitForFlush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            flushWaiters.append(continuation)
        }
    }

    private func startFlushing() {
        guard !flushing else { return }
        flushing = true
        Task { await self.flush() }
    }

    /// Commits what is queued, batch after batch, until nothing is.
    private func flush() async {
        while !pendingClaims.isEmpty || !pendingOutcomes.isEmpty {
            let claims = pendingClaims.prefix(Self.maxBatch)
            pendingClaims.removeFirst(claims.count)
            let outcomes = pendingOutcomes
            pendingOutcomes = []
            defer { for outcome in outcomes { outcome.written?.resume() } }
            if let failure {
                for claim in claims { claim.continuation.resume(throwing: failure) }
                continue
            }
            do {
                let answers = try await commit(claims: claims.map(\.request), outcomes: outcomes)
                for (claim, answer) in zip(claims, answers) { claim.continuation.resume(returning: answer) }
            } catch {
                let failure = error.recordingError(path: path, busyTimeout: busyTimeout, opening: false)
                // A lost connection is made again at the next statement: the claims of this batch
                // fail (their intents may or may not be committed: a later claim of the row reads
                // its attempts), the next ones are tried.
                if error.kind != .connectionLost { self.failure = failure }
                for claim in claims { claim.continuation.resume(throwing: failure) }
            }
        }
        flushing = false
        let waiters = flushWaiters
        flushWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Claims per transaction at most (the statements bind a few values per claim).
    static let maxBatch = 256

    /// One transaction, in one session: the outcomes, then the claims decided in order, each
    /// allowed one counted against the next.
    private func commit(claims: [ClaimRequest], outcomes: [PendingOutcome]) async throws(LedgerDatabaseError)
        -> [ClaimAnswer]
    {
        let now = nowMilliseconds()
        let settled = outcomes.map(Settled.init)
        let answers = try await database.session { session throws(LedgerDatabaseError) -> [ClaimAnswer] in
            try session.setDurableCommits(!claims.isEmpty)
            if claims.isEmpty, settled.count == 1 {
                // One statement is its own transaction.
                try Self.writeOutcomes(settled, in: session)
                return []
            }
            return try session.writing { () throws(LedgerDatabaseError) -> [ClaimAnswer] in
                try Self.writeOutcomes(settled, in: session)
                guard !claims.isEmpty else { return [] }
                return try Self.decide(claims, at: now, in: session)
            }
        }
        commitCount += 1
        intentCount += answers.count(where: { if case .recorded = $0 { true } else { false } })
        return answers
    }

    /// Decides `claims` in order against the rules in the store and records the allowed ones'
    /// intents; inside the claim transaction.
    private static func decide(_ claims: [ClaimRequest], at now: Int, in session: any LedgerSession)
        throws(LedgerDatabaseError) -> [ClaimAnswer]
    {
        var rules = try ContactRules.load(
            destinations: Set(claims.map(\.destination)),
            longestWindow: claims.lazy.flatMap(\.limits).map(\.perSeconds).max() ?? 0,
            now: now,
            from: session
        )
        var answers = [ClaimAnswer?](repeating: nil, count: claims.count)
        var stops: [Int: Refusal?] = [:]
        let held = try heldRows(of: claims, now: now, in: session)
        var allowed: [Int] = []
        for (index, claim) in claims.enumerated() {
            // `outdial stop` commits in a writing transaction too: once it has, no intent of the
            // job is committed, so the calls the command lists afterwards are all there are.
            if stops[claim.jobId] == nil { stops[claim.jobId] = try stopRefusal(claim, in: session) }
            if let stop = stops[claim.jobId] ?? nil {
                answers[index] = .refused(stop)
                continue
            }
            if let worker = claim.worker,
                !held.contains(HeldRow(worker: worker, job: claim.jobId, source: claim.sourceId, row: claim.row))
            {
                answers[index] = .refused(Self.leaseLost)
                continue
            }
            if let refusal = rules.refusal(for: claim, now: now) {
                answers[index] = .refused(refusal)
                continue
            }
            rules.count(claim, at: now)
            allowed.append(index)
        }
        let ids = try insertIntents(allowed.map { claims[$0] }, at: now, in: session)
        for (index, id) in zip(allowed, ids) { answers[index] = .recorded(attemptId: id) }
        return answers.map { $0 ?? .refused(Self.leaseLost) }
    }

    /// A row a worker holds.
    private struct HeldRow: Hashable {
        var worker: String
        var job: Int
        var source: Int
        var row: Int
    }

    /// The rows the workers of `claims` hold under a live lease now (inside the claim transaction:
    /// the intent of a row another worker took over is never recorded). One statement per worker
    /// and job, not per row.
    private static func heldRows(of claims: [ClaimRequest], now: Int, in session: any LedgerSession)
        throws(LedgerDatabaseError) -> Set<HeldRow>
    {
        struct WorkerOfJob: Hashable {
            var worker: String
            var job: Int
        }
        var held: Set<HeldRow> = []
        for owner in Set(claims.compactMap { claim in claim.worker.map { WorkerOfJob(worker: $0, job: claim.jobId) } })
        {
            let (worker, job) = (owner.worker, owner.job)
            try session.forEachRow(
                """
                SELECT r.source_id, r.row_index FROM job_rows r JOIN workers w ON w.worker = r.worker AND w.job_id = r.job_id
                WHERE r.job_id = $1 AND r.state = \(JobRowState.claimed.rawValue) AND r.worker = $2 AND w.lease_until >= $3
                """,
                [.integer(job), .text(worker), .integer(now)]
            ) { row throws(LedgerDatabaseError) in
                guard let source = row.integer(0), let index = row.integer(1) else { return }
                held.insert(HeldRow(worker: worker, job: job, source: source, row: index))
            }
        }
        return held
    }

    /// The refusal of a row whose worker no longer holds it.
    static let leaseLost = Refusal(
        reason: .halted,
        error: RowError(
            code: ErrorCode.leaseLost,
            message: "this worker's lease on the row ran out (the store was out of reach, or the process was paused); "
                + "the row is left to the other workers",
            retryable: false
        )
    )

    /// The refusal of a row of a job `outdial stop` stopped since the claim's run began, or nil.
    private static func stopRefusal(_ claim: ClaimRequest, in session: any LedgerSession)
        throws(LedgerDatabaseError) -> Refusal?
    {
        let rows = try session.query(
            """
            SELECT s.reason FROM stop_requests s JOIN jobs j ON j.job = s.job
            WHERE j.id = $1 AND s.requested_at >= $2
            """,
            [.integer(claim.jobId), .integer(claim.runStartedAt)]
        )
        guard let row = rows.first else { return nil }
        // The message is the stop's reason as given, as the run's summary shows it.
        return Refusal(
            reason: .stopped,
            error: RowError(code: ErrorCode.stopped, message: row.first?.text ?? "outdial stop", retryable: false)
        )
    }

    /// An outcome as the store writes it.
    private struct Settled: Sendable {
        var binds: [SQLValue]

        init(_ outcome: PendingOutcome) {
            binds = [
                .integer(outcome.attemptId), .integer(outcome.status.rawValue), .text(outcome.contactId),
                .text(outcome.errorCode), .integer(outcome.attempts), .integer(outcome.at),
            ]
        }
    }

    /// Writes outcomes, a piece of many in one statement.
    private static func writeOutcomes(_ outcomes: [Settled], in session: any LedgerSession)
        throws(LedgerDatabaseError)
    {
        for piece in outcomes.pieces(of: 200) {
            let values = ValuesTable(
                piece.map(\.binds),
                types: ["BIGINT", "BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT"],
                after: 0
            )
            try session.execute(
                """
                WITH v (id, status, contact_id, error_code, attempts, settled_at) AS (VALUES \(values.sql))
                UPDATE attempts SET status = v.status, contact_id = v.contact_id, error_code = v.error_code,
                    attempts = v.attempts, settled_at = v.settled_at
                FROM v WHERE attempts.id = v.id
                """,
                values.binds
            )
        }
    }

    /// Records the intents of `claims`, a piece of many in one statement; returns their ids in
    /// the order of `claims`.
    private static func insertIntents(_ claims: [ClaimRequest], at now: Int, in session: any LedgerSession)
        throws(LedgerDatabaseError) -> [Int]
    {
        var ids: [Int] = []
        ids.reserveCapacity(claims.count)
        for piece in claims.pieces(of: 200) {
            let keys = piece.map { AttemptKey(jobId: $0.jobId, clientToken: $0.clientToken) }
            guard Set(keys).count == keys.count else {
                // The same row twice (never from one run): a statement each keeps them apart.
                for claim in piece { ids += try insertIntents([claim], at: now, in: session) }
                continue
            }
            let values = ValuesTable(
                piece.map { claim in
                    [
                        .integer(claim.jobId), .text(claim.clientToken), .integer(claim.sourceId),
                        .integer(claim.row), .integer(claim.line), .text(claim.destination), .text(claim.instanceId),
                        .integer(now), .integer(AttemptStatus.intent.rawValue),
                    ]
                },
                types: ["BIGINT", "TEXT", "BIGINT", "BIGINT", "BIGINT", "TEXT", "TEXT", "BIGINT", "BIGINT"],
                after: 0
            )
            var byKey: [AttemptKey: Int] = [:]
            try session.forEachRow(
                """
                INSERT INTO attempts (job_id, client_token, source_id, row_index, line, destination, instance_id,
                    intent_at, status)
                VALUES \(values.sql)
                RETURNING id, job_id, client_token
                """,
                values.binds
            ) { row throws(LedgerDatabaseError) in
                guard let id = row.integer(0), let job = row.integer(1), let token = row.text(2) else { return }
                byKey[AttemptKey(jobId: job, clientToken: token)] = id
            }
            for key in keys {
                guard let id = byKey[key] else { throw LedgerDatabaseError(.other, "an intent was not recorded") }
                ids.append(id)
            }
        }
        return ids
    }
}

struct AttemptKey: Hashable {
    var jobId: Int
    var clientToken: String
}
