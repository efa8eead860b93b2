import Foundation
import OutdialBase
import OutdialCore

@testable import OutdialLedger

/// Attempts put straight into a store, as runs would have recorded them.
struct AttemptRecord {
    var job = "job-a"
    var source = "a.yaml"
    var row = 0
    var line = 10
    var destination = "+15550100001"
    var instanceId = "instance-1"
    var status = AttemptStatus.started
    var contactId: String? = "contact-1"
    var errorCode: String?
    var attempts: Int? = 1
    /// Milliseconds since 1970.
    var intentAt = 1_800_000_000_000
    var settledAt: Int? = 1_800_000_000_500
    var clientToken: String?
}

extension Ledger {
    /// Records `attempt` (its job and source too, when new); returns its id.
    @discardableResult
    func insert(_ attempt: AttemptRecord) async throws -> Int {
        let job = try await database.query(
            """
            INSERT INTO jobs (job, first_run_at, last_run_at) VALUES ($1, $2, $2)
            ON CONFLICT (job) DO UPDATE SET
                first_run_at = CASE WHEN jobs.first_run_at < excluded.first_run_at THEN jobs.first_run_at
                    ELSE excluded.first_run_at END,
                last_run_at = CASE WHEN jobs.last_run_at > excluded.last_run_at THEN jobs.last_run_at
                    ELSE excluded.last_run_at END
            RETURNING id
            """,
            [.text(attempt.job), .integer(attempt.intentAt)]
        )
        let source = try await database.query(
            "INSERT INTO sources (path) VALUES ($1) ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id",
            [.text(attempt.source)]
        )
        let rows = try await database.query(
            """
            INSERT INTO attempts (job_id, client_token, source_id, row_index, line, destination, instance_id, status,
                contact_id, error_code, attempts, intent_at, settled_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            RETURNING id
            """,
            [
                .integer(job.first?.first?.integer),
                .text(attempt.clientToken ?? "token-\(attempt.job)-\(attempt.row)"),
                .integer(source.first?.first?.integer), .integer(attempt.row), .integer(attempt.line),
                .text(attempt.destination), .text(attempt.instanceId), .integer(attempt.status.rawValue),
                .text(attempt.contactId), .text(attempt.errorCode), .integer(attempt.attempts),
                .integer(attempt.intentAt), .integer(attempt.settledAt),
            ]
        )
        return rows.first?.first?.integer ?? 0
    }

    /// How many rows `table` holds.
    func count(_ table: String) async throws -> Int {
        try await database.query("SELECT count(*) FROM \(table)", []).first?.first?.integer ?? -1
    }

    /// SQLite's plan for `sql`, its lines' details joined.
    func queryPlan(_ sql: String, _ binds: [SQLValue]) async throws -> String {
        try await database.query("EXPLAIN QUERY PLAN " + sql, binds).compactMap { $0.last?.text }.joined(
            separator: "\n"
        )
    }
}

/// A ledger on a fresh temporary state directory, with a clock the test moves.
struct LedgerFixture {
    let state: TemporaryState
    let clock: TestWallClock
    let ledger: Ledger

    init() async throws {
        state = try TemporaryState()
        clock = TestWallClock()
        ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
    }

    /// The clock's time in milliseconds since 1970.
    var now: Int { Int(clock.date.timeIntervalSince1970 * 1000) }

    /// Writes `text` into the state directory; returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = state.directory.path + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs `body` with a fresh fixture, closed (and removed) whether `body` throws or not.
    static func with(_ body: (LedgerFixture) async throws -> Void) async throws {
        let fixture = try await LedgerFixture()
        do {
            try await body(fixture)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    func close() async {
        await ledger.close()
        state.remove()
    }
}
