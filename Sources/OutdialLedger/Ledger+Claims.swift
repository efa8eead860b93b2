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
                self.failure = failure
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

    /// Outcomes written by one statement at most.
    static let outcomesPerStatement = 128

    /// One transaction: the outcomes, then the claims decided in order, each allowed one counted
    /// against the next.
    private func commit(claims: [ClaimRequest], outcomes: [PendingOutcome]) async throws(LedgerDatabaseError)
        -> [ClaimAnswer]
    {
        let now = nowMilliseconds()
        try await database.setDurableCommits(!claims.isEmpty)
        if claims.isEmpty, outcomes.count <= Self.outcomesPerStatement {
            // One statement is its own transaction.
            try await writeOutcomes(outcomes)
            commitCount += 1
            return []
        }
        let answers = try await database.writing { () throws(LedgerDatabaseError) -> [ClaimAnswer] in
            try await writeOutcomes(outcomes)
            guard !claims.isEmpty else { return [] }
            var rules = try await ContactRules.load(
                destinations: Set(claims.map(\.destination)),
                longestWindow: claims.lazy.flatMap(\.limits).map(\.perSeconds).max() ?? 0,
                now: now,
                from: database
            )
            var refusals: [Refusal?] = []
            var allowed: [ClaimRequest] = []
            for claim in claims {
                let refusal = rules.refusal(for: claim, now: now)
                if refusal == nil {
                    rules.count(claim, at: now)
                    allowed.append(claim)
                }
                refusals.append(refusal)
            }
            let ids = try await insertIntents(allowed, at: now)
            var answers: [ClaimAnswer] = []
            for (claim, refusal) in zip(claims, refusals) {
                if let refusal {
                    answers.append(.refused(refusal))
                } else if let id = ids[AttemptKey(jobId: claim.jobId, clientToken: claim.clientToken)] {
                    answers.append(.recorded(attemptId: id))
                } else {
                    throw LedgerDatabaseError(.other, "an intent was not recorded")
                }
            }
            return answers
        }
        commitCount += 1
        intentCount += answers.count(where: { if case .recorded = $0 { true } else { false } })
        return answers
    }

    private func writeOutcomes(_ outcomes: [PendingOutcome]) async throws(LedgerDatabaseError) {
        for chunk in outcomes.chunks(ofCount: Self.outcomesPerStatement) {
            var values: [String] = []
            var binds: [SQLValue] = []
            for outcome in chunk {
                let base = binds.count
                values.append("($\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5), $\(base + 6))")
                binds += [
                    .integer(outcome.attemptId), .integer(outcome.status.rawValue), .text(outcome.contactId),
                    .text(outcome.errorCode), .integer(outcome.attempts), .integer(outcome.at),
                ]
            }
            try await database.execute(
                """
                WITH settled (id, status, contact_id, error_code, attempts, settled_at) AS (VALUES \(values.joined(separator: ", ")))
                UPDATE attempts SET status = settled.status, contact_id = settled.contact_id,
                    error_code = settled.error_code, attempts = settled.attempts, settled_at = settled.settled_at
                FROM settled WHERE attempts.id = settled.id
                """,
                binds
            )
        }
    }

    private func insertIntents(_ claims: [ClaimRequest], at now: Int) async throws(LedgerDatabaseError)
        -> [AttemptKey: Int]
    {
        var ids: [AttemptKey: Int] = [:]
        for chunk in claims.chunks(ofCount: 64) {
            var values: [String] = []
            var binds: [SQLValue] = []
            for claim in chunk {
                let base = binds.count
                values.append(
                    "(" + (1 ... 8).map { "$\(base + $0)" }.joined(separator: ", ")
                        + ", \(AttemptStatus.intent.rawValue))"
                )
                binds += [
                    .integer(claim.jobId), .text(claim.clientToken), .integer(claim.sourceId), .integer(claim.row),
                    .integer(claim.line), .text(claim.destination), .text(claim.instanceId), .integer(now),
                ]
            }
            // RETURNING gives rows in no set order: they are matched by (job, ClientToken), unique
            // within a run.
            let rows = try await database.query(
                """
                INSERT INTO attempts (job_id, client_token, source_id, row_index, line, destination, instance_id,
                    intent_at, status)
                VALUES \(values.joined(separator: ", "))
                RETURNING id, job_id, client_token
                """,
                binds
            )
            for row in rows {
                guard row.count == 3, let id = row[0].integer, let job = row[1].integer, let token = row[2].text else {
                    throw LedgerDatabaseError(.other, "an unexpected row came back from recording intents")
                }
                ids[AttemptKey(jobId: job, clientToken: token)] = id
            }
        }
        return ids
    }
}

struct AttemptKey: Hashable {
    var jobId: Int
    var clientToken: String
}

extension Array {
    /// The array cut into consecutive pieces of at most `count` elements.
    func chunks(ofCount count: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: self.count, by: count).map { self[$0 ..< Swift.min($0 + count, self.count)] }
    }
}
