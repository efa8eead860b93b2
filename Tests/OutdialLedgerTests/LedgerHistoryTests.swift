import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// `outdial ledger history`, `jobs`, `export`: what the ledger recorded, read back.
@Suite struct LedgerHistoryTests {
    static let hour = 3_600_000

    @Test func historyListsEveryAttemptForTheNumberNewestFirst() async throws {
        try await LedgerFixture.with { fixture in
            let ledger = fixture.ledger
            let base = fixture.now - 48 * Self.hour
            try await ledger.insert(
                AttemptRecord(job: "monday", row: 3, line: 14, intentAt: base, settledAt: base + 400)
            )
            try await ledger.insert(
                AttemptRecord(
                    job: "tuesday",
                    source: "jobs/tuesday.yaml",
                    row: 0,
                    line: 9,
                    status: .failed,
                    contactId: nil,
                    errorCode: "InvalidParameterException",
                    attempts: 3,
                    intentAt: base + 24 * Self.hour,
                    settledAt: base + 24 * Self.hour + 900
                )
            )
            try await ledger.insert(
                AttemptRecord(job: "tuesday", row: 1, destination: "+15550100002", intentAt: base + 25 * Self.hour)
            )
            try await ledger.insert(
                AttemptRecord(
                    job: "wednesday",
                    row: 7,
                    status: .intent,
                    contactId: nil,
                    attempts: nil,
                    intentAt: base + 47 * Self.hour,
                    settledAt: nil
                )
            )

            let history = try await ledger.history(number: "+1 555 010 0001")
            #expect(history.map(\.job) == ["wednesday", "tuesday", "monday"])
            #expect(history.map(\.status.name) == ["in-flight", "failed", "started"])
            #expect(history[0].settledAt == nil && history[0].attempts == nil)
            #expect(
                history[1]
                    == HistoryEntry(
                        job: "tuesday",
                        source: "jobs/tuesday.yaml",
                        row: 0,
                        line: 9,
                        instanceId: "instance-1",
                        status: .failed,
                        contactId: nil,
                        errorCode: "InvalidParameterException",
                        intentAt: UTCTimestamp(millisecondsSince1970: Int64(base + 24 * Self.hour)),
                        settledAt: UTCTimestamp(millisecondsSince1970: Int64(base + 24 * Self.hour + 900)),
                        attempts: 3
                    )
            )
            #expect(
                history[2].json
                    == """
                    {"job":"monday","source":"a.yaml","row":3,"line":14,"instanceId":"instance-1","status":"started",\
                    "contactId":"contact-1","error":null,"intentAt":"2027-01-13T08:00:00.000Z",\
                    "settledAt":"2027-01-13T08:00:00.400Z","attempts":1}
                    """
            )
            #expect(try await ledger.history(number: "+15550100003").isEmpty)
            await #expect(throws: LedgerInputError.self) { try await ledger.history(number: "555 010 0001") }
        }
    }

    @Test func historyReadsTheDestinationIndex() async throws {
        try await LedgerFixture.with { fixture in
            let plan = try await fixture.ledger.queryPlan(Ledger.historyQuery, [.text("+15550100001")])
            #expect(plan.contains("SEARCH a USING INDEX attempts_by_destination (destination=?)"), "\(plan)")
            // No sort of the number's attempts either: the index gives them in order.
            #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
            #expect(!plan.contains("SCAN a"), "\(plan)")
        }
    }

    @Test func exportPagesStartAtThePreviousPage() async throws {
        try await LedgerFixture.with { fixture in
            let plan = try await fixture.ledger.queryPlan(
                Ledger.exportQuery,
                [.integer(1000), .integer(0), .integer(10)]
            )
            // The page is a range of the primary key, not a scan of the table.
            #expect(plan.contains("SEARCH attempts USING INTEGER PRIMARY KEY (rowid>?)"), "\(plan)")
        }
    }

    @Test func jobsCountRowsAndOutcomesNewestRunFirst() async throws {
        try await LedgerFixture.with { fixture in
            let ledger = fixture.ledger
            let base = fixture.now - 10 * Self.hour
            try await ledger.insert(AttemptRecord(job: "older", row: 0, intentAt: base))
            try await ledger.insert(AttemptRecord(job: "older", row: 1, status: .failed, intentAt: base + 1))
            // Row 1 again in a later run: one row, two attempts.
            try await ledger.insert(
                AttemptRecord(
                    job: "older",
                    row: 1,
                    status: .uncertain,
                    intentAt: base + Self.hour,
                    clientToken: "token-older-1"
                )
            )
            try await ledger.insert(
                AttemptRecord(job: "newer", row: 0, status: .intent, intentAt: base + 2 * Self.hour)
            )
            try await ledger.insert(AttemptRecord(job: "newer", row: 1, intentAt: base + 2 * Self.hour))

            let jobs = try await ledger.jobs()
            #expect(jobs.map(\.job) == ["newer", "older"])
            #expect(jobs.map(\.rows) == [2, 2])
            #expect(jobs.map(\.started) == [1, 1])
            #expect(jobs.map(\.failed) == [0, 1])
            #expect(jobs.map(\.uncertain) == [1, 1])
            #expect(jobs[1].firstRun == UTCTimestamp(millisecondsSince1970: Int64(base)))
            #expect(jobs[1].lastRun == UTCTimestamp(millisecondsSince1970: Int64(base + Self.hour)))
        }
    }

    @Test func exportWritesAttemptsSinceInPages() async throws {
        try await LedgerFixture.with { fixture in
            let ledger = fixture.ledger
            let now = fixture.now
            try await ledger.insert(AttemptRecord(row: 0, intentAt: now - 8 * 24 * Self.hour))
            for row in 1 ... 5 {
                try await ledger.insert(
                    AttemptRecord(row: row, destination: "+1555010000\(row)", intentAt: now - 7 * 24 * Self.hour + row)
                )
            }
            var pages: [String] = []
            let count = try await ledger.export(since: .ago(seconds: 7 * 86_400), pageSize: 2) { bytes in
                pages.append(String(decoding: bytes, as: UTF8.self))
            }
            #expect(count == 5)
            #expect(pages.map { $0.split(separator: "\n").count } == [2, 2, 1])
            let lines = pages.joined().split(separator: "\n").map(String.init)
            #expect(lines.map { ndjsonField($0, "row") as? Int } == [1, 2, 3, 4, 5])
            #expect(
                lines.first
                    == """
                    {"job":"job-a","source":"a.yaml","row":1,"line":10,"destination":"+15550100001",\
                    "clientToken":"token-job-a-1","instanceId":"instance-1","status":"started","contactId":"contact-1",\
                    "error":null,"intentAt":"2027-01-08T08:00:00.001Z","settledAt":"2027-01-15T08:00:00.500Z"}
                    """
            )

            let fixed = try await ledger.export(since: .at(UTCTimestamp(millisecondsSince1970: Int64(now)))) { _ in }
            #expect(fixed == 0)
        }
    }
}

func ndjsonField(_ line: String, _ key: String) -> Any? {
    ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?[key]
}
