import OutdialBase
import OutdialCore

/// `outdial stop` (live-calls.md, "Stopping a batch"): a stop asked for a job, and the calls of the
/// job that may still be live.
public struct StopRequest: Sendable, Hashable {
    public var job: String
    public var reason: String
    public var requestedAt: UTCTimestamp
}

/// A call the ledger has as started, which may still be live.
public struct StartedContact: Sendable, Hashable {
    public var job: String
    public var contactId: String
    public var instanceId: String
    public var destination: String
    public var row: Int
}

extension Ledger {
    /// Asks every run of `job` that began before now to stop starting rows (within the second
    /// they next ask; runs on any machine sharing the store).
    public func requestStop(job: String, reason: String) async throws(RecordingError) -> StopRequest {
        let now = nowMilliseconds()
        try await writingStore { () throws(LedgerDatabaseError) in
            try await database.execute(
                """
                INSERT INTO stop_requests (job, reason, requested_at) VALUES ($1, $2, $3)
                ON CONFLICT (job) DO UPDATE SET reason = excluded.reason, requested_at = excluded.requested_at
                """,
                [.text(job), .text(reason), .integer(now)]
            )
        }
        return StopRequest(job: job, reason: reason, requestedAt: UTCTimestamp(millisecondsSince1970: Int64(now)))
    }

    /// The stop asked for one of `jobs` at or after `since` (ms since 1970), if any.
    public func stopRequest(jobs: [String], since: Int) async throws(RecordingError) -> StopRequest? {
        guard !jobs.isEmpty else { return nil }
        let marks = (1 ... jobs.count).map { "$\($0 + 1)" }.joined(separator: ", ")
        let rows = try await reading(
            "SELECT job, reason, requested_at FROM stop_requests WHERE requested_at >= $1 AND job IN (\(marks))",
            [.integer(since)] + jobs.map { .text($0) }
        )
        guard let row = rows.first, let job = row[0].text, let reason = row[1].text, let at = row[2].integer else {
            return nil
        }
        return StopRequest(job: job, reason: reason, requestedAt: UTCTimestamp(millisecondsSince1970: Int64(at)))
    }

    /// The instance a contact was started on, as the ledger recorded its request.
    public func instanceId(ofContact contactId: String) async throws(RecordingError) -> String? {
        try await reading("SELECT instance_id FROM attempts WHERE contact_id = $1 LIMIT 1", [.text(contactId)])
            .first?.first?.text
    }

    /// How many requests of `job` whose intents were committed at or after `since` (ms since 1970)
    /// have no outcome yet: requests in flight, unless their process died.
    public func requestsInFlight(job: String, since: Int) async throws(RecordingError) -> Int {
        let rows = try await reading(
            """
            SELECT COUNT(*) FROM attempts a JOIN jobs j ON j.id = a.job_id
            WHERE j.job = $1 AND a.status = \(AttemptStatus.intent.rawValue) AND a.intent_at >= $2
            """,
            [.text(job), .integer(since)]
        )
        return rows.first?.first?.integer ?? 0
    }

    /// The calls of `job` started (or perhaps started: `uncertain`, or an intent still open) in the
    /// last `hours` hours that have a contact id: the ones `outdial stop` ends if they are live.
    public func startedContacts(job: String, hours: Int = 12) async throws(RecordingError) -> [StartedContact] {
        let since = nowMilliseconds() - hours * 3_600_000
        let rows = try await reading(
            """
            SELECT a.contact_id, a.instance_id, a.destination, a.row_index FROM attempts a
            JOIN jobs j ON j.id = a.job_id
            WHERE j.job = $1 AND a.contact_id IS NOT NULL AND a.intent_at >= $2
            ORDER BY a.intent_at
            """,
            [.text(job), .integer(since)]
        )
        return rows.compactMap { row in
            guard let contactId = row[0].text, let instanceId = row[1].text, let destination = row[2].text,
                let index = row[3].integer
            else { return nil }
            return StartedContact(
                job: job,
                contactId: contactId,
                instanceId: instanceId,
                destination: destination,
                row: index
            )
        }
    }
}
