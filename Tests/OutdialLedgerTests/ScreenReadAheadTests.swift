import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// The screen by the rules read whole ahead (while a run's rows are planned) gives exactly the
/// refusals the screen number by number gives, on the same store at the same time.
struct ScreenReadAheadTests {
    static let hour = 3_600_000

    /// A number of the store, by letter.
    static func number(_ index: Int) -> String { "+1555010\(String(format: "%04d", index))" }

    /// A row of `job`, read from `source`, calling `number(index)` on `instance`.
    static func row(
        _ index: Int,
        job: String = "job-a",
        source: String = "a.yaml",
        instance: String = "instance-1"
    ) -> PlannedRow {
        var row = LedgerFixtures.row(index, job: job, source: source, destination: number(index))
        row.instanceId = instance
        return row
    }

    /// Screens `rows` both ways `after` seconds past the start of the read ahead.
    /// - Returns: the refusals number by number, those by the rules read ahead, and whether the
    ///   rules read ahead served the screen (or it probed each number instead).
    static func screenBothWays(
        _ fixture: LedgerFixture,
        _ rows: [PlannedRow],
        rules: [String: JobRules] = [:],
        after seconds: TimeInterval = 0
    ) async throws -> (probed: [Refusal?], readAhead: [Refusal?], served: Bool) {
        let readAhead = ScreenReadAhead(
            location: .directory(fixture.state.directory),
            busyTimeout: .seconds(5),
            wallClock: fixture.clock.read
        )
        fixture.clock.advance(by: seconds)
        let jobs = Set(rows.map(\.ref.job))
        let probed = try await fixture.ledger.peekRun(jobs: jobs, rules: rules).screen(rows)
        let run = try await fixture.ledger.peekRun(jobs: jobs, rules: rules, readAhead: readAhead)
        let screened = try await run.screen(rows)
        await readAhead.close()
        return (probed, screened, readAhead.served)
    }

    /// A store with a little of everything: numbers suppressed for good, until a time, with and
    /// without a reason; attempts started, in doubt, in flight and failed, inside and outside
    /// windows of one hour and one day (the ledger's limits: 2 an hour, 3 a day), on two instances,
    /// and the own attempts of a row sent again.
    static func fill(_ fixture: LedgerFixture) async throws {
        try await fixture.ledger.setDefaults(
            LedgerDefaults(
                limits: .limits([ContactLimit(max: 2, perSeconds: 3_600), ContactLimit(max: 3, perSeconds: 86_400)])
            )
        )
        let now = fixture.now
        let date = { (offset: Int) in UTCTimestamp(millisecondsSince1970: Int64(now + offset)) }
        try await fixture.ledger.addSuppression(number: number(1), reason: "asked to stop", until: nil)
        try await fixture.ledger.addSuppression(number: number(2), reason: "for a while", until: date(hour / 2))
        try await fixture.ledger.addSuppression(number: number(3), reason: "ended", until: date(-1))
        try await fixture.ledger.addSuppression(number: number(4), reason: nil, until: nil)
        func attempt(
            _ index: Int,
            at offset: Int,
            _ status: AttemptStatus = .started,
            job: String = "job-z",
            row: Int = 0,
            instance: String = "instance-1"
        ) async throws {
            var record = AttemptRecord()
            record.job = job
            record.row = row
            record.destination = number(index)
            record.instanceId = instance
            record.status = status
            record.intentAt = now + offset
            try await fixture.ledger.insert(record)
        }
        // 5: two in the last hour; 6: three in the day, an hour or more apart; 7: one 25 h ago.
        try await attempt(5, at: -10 * 60_000, row: 1)
        try await attempt(5, at: -20 * 60_000, .uncertain, row: 2)
        try await attempt(6, at: -3 * hour, row: 3)
        try await attempt(6, at: -5 * hour, .intent, row: 4)
        try await attempt(6, at: -7 * hour, row: 5)
        try await attempt(7, at: -25 * hour, row: 6)
        // 8: failed ones do not count.
        try await attempt(8, at: -hour / 4, .failed, row: 7)
        try await attempt(8, at: -hour / 5, .failed, row: 8)
        // 9: two in the last hour on another instance.
        try await attempt(9, at: -hour / 3, row: 9, instance: "instance-2")
        try await attempt(9, at: -hour / 2, row: 10, instance: "instance-2")
        // 10: the two attempts of job-a's row 10, in doubt (sent again with --redial-uncertain).
        try await attempt(10, at: -hour / 3, .uncertain, job: "job-a", row: 10)
        try await attempt(10, at: -hour / 4, .uncertain, job: "job-a", row: 10)
    }

    /// Rows for every number of `fill`, under both limit keys, and a second row of job-a calling
    /// number 10 (another call, not the row sent again).
    static var rows: [PlannedRow] {
        (1 ... 10).map { row($0) } + (5 ... 10).map { row($0, source: "b.yaml") }
            + [row(9, source: "b.yaml", instance: "instance-2"), row(11, source: "b.yaml")] + [
                {
                    var other = row(11)
                    other.destination = number(10)
                    return other
                }()
            ]
    }

    static let rules = ["b.yaml": JobRules(limitKey: .instanceAndDestination)]

    @Test func theRulesReadAheadRefuseExactlyWhatTheNumbersReadOneByOneRefuse() async throws {
        try await LedgerFixture.with { fixture in
            try await Self.fill(fixture)
            let (probed, readAhead, served) = try await Self.screenBothWays(fixture, Self.rows, rules: Self.rules)
            #expect(served)
            #expect(readAhead == probed)
            let expected: [SkipReason?] =
                [.suppressed, .suppressed, nil, .suppressed, .limit, .limit, nil, nil, .limit, nil]
                + [.limit, .limit, nil, nil, nil, nil] + [.limit, nil] + [.limit]
            #expect(readAhead.map { $0?.reason } == expected)
            #expect(readAhead[0]?.error.message == "\(Self.number(1)) is on the suppression list: asked to stop")
            #expect(readAhead[3]?.error.message == "\(Self.number(4)) is on the suppression list (no reason was given)")
            // Number 6: the day's three calls, the oldest 7 hours ago, so allowed again in 17 hours.
            let allowed = UTCTimestamp(millisecondsSince1970: Int64(fixture.now + 17 * Self.hour)).rfc3339
            #expect(readAhead[5]?.nextAllowedAt == allowed)
            #expect(readAhead[5]?.error.message.contains("had 3 calls started or in doubt in the last 24h") == true)
            #expect(readAhead[16]?.error.message.contains("\(Self.number(9)) on instance instance-2") == true)
        }
    }

    @Test func aSuppressionThatEndsWhileTheRowsArePlannedNoLongerRefuses() async throws {
        // Read ahead while number 2 was still suppressed; screened after the end of it.
        try await LedgerFixture.with { fixture in
            try await Self.fill(fixture)
            let rows = [Self.row(1), Self.row(2), Self.row(3)]
            let (probed, readAhead, served) = try await Self.screenBothWays(fixture, rows, after: 1_800)
            #expect(served)
            #expect(readAhead == probed)
            #expect(readAhead.map { $0?.reason } == [.suppressed, nil, nil])
        }
    }

    @Test func limitsWindowsMoveOnWhileTheRowsArePlanned() async throws {
        // Read ahead at the start; screened 41 minutes later, when one of number 5's calls has
        // left the hour (one remains) and number 6 is still at three in the day.
        try await LedgerFixture.with { fixture in
            try await Self.fill(fixture)
            let rows = (5 ... 7).map { Self.row($0) }
            let (probed, readAhead, served) = try await Self.screenBothWays(fixture, rows, after: 41 * 60)
            #expect(served)
            #expect(readAhead == probed)
            #expect(readAhead.map { $0?.reason } == [nil, .limit, nil])
        }
    }

    @Test func aJobWithALongerWindowThanTheLedgersIsScreenedNumberByNumber() async throws {
        // The read ahead holds a day of attempts: a job limited per week needs older ones.
        try await LedgerFixture.with { fixture in
            try await Self.fill(fixture)
            var old = AttemptRecord()
            old.destination = Self.number(12)
            old.intentAt = fixture.now - 3 * 24 * Self.hour
            try await fixture.ledger.insert(old)
            let weekly = ["w.yaml": JobRules(limits: .limits([ContactLimit(max: 1, perSeconds: 7 * 86_400)]))]
            let rows = [Self.row(12, source: "w.yaml"), Self.row(7, source: "w.yaml")]
            let (probed, readAhead, served) = try await Self.screenBothWays(fixture, rows, rules: weekly)
            #expect(!served)
            #expect(readAhead == probed)
            #expect(readAhead.map { $0?.reason } == [.limit, .limit])
        }
    }

    @Test func aScreenOf45000RowsReadAheadIsDecidedInPiecesInTheRowsOrder() async throws {
        // Every 7th number suppressed, every 11th called by another job within the day.
        try await LedgerFixture.with { fixture in
            let count = 45_000
            let number = { (index: Int) in "+155502\(String(format: "%05d", index))" }
            try await fixture.ledger.insert(AttemptRecord(job: "job-z", intentAt: fixture.now - Self.hour))
            try await fixture.ledger.database.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
                INSERT INTO suppressions (number, reason, until_at, added_at)
                SELECT '+155502' || printf('%05d', i), 'asked', NULL, 0 FROM n WHERE i % 7 = 0
                """,
                [.integer(count - 1)]
            )
            try await fixture.ledger.database.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
                INSERT INTO attempts (job_id, client_token, source_id, row_index, line, destination, instance_id,
                    status, intent_at)
                SELECT 1, 'seed-' || i, 1, i, i + 1, '+155502' || printf('%05d', i), 'instance-1', 1, $2 FROM n
                WHERE i % 11 = 0
                """,
                [.integer(count - 1), .integer(fixture.now - Self.hour)]
            )
            let rows = (0 ..< count).map {
                LedgerFixtures.row($0, job: "job-b", source: "b.yaml", destination: number($0))
            }
            let (probed, readAhead, served) = try await Self.screenBothWays(fixture, rows)
            #expect(served)
            #expect(readAhead == probed)
            let expected: [SkipReason?] = (0 ..< count).map { index in
                index % 7 == 0 ? .suppressed : index % 11 == 0 ? .limit : nil
            }
            #expect(readAhead.map { $0?.reason } == expected)
        }
    }

    @Test func aFewRowsAgainstALargeStoreAreScreenedNumberByNumber() async throws {
        try await LedgerFixture.with { fixture in
            try await Self.fill(fixture)
            try await fixture.ledger.database.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
                INSERT INTO suppressions (number, reason, until_at, added_at)
                SELECT '+1555030' || printf('%04d', i), 'bulk', NULL, 0 FROM n
                """
            )
            let rows = [Self.row(1), Self.row(5), Self.row(7)]
            let (probed, readAhead, served) = try await Self.screenBothWays(fixture, rows)
            #expect(!served)
            #expect(readAhead == probed)
            #expect(readAhead.map { $0?.reason } == [.suppressed, .limit, nil])
        }
    }
}
