import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// `outdial ledger prune`: what it deletes, what it keeps, and when it refuses.
@Suite struct LedgerPruneTests {
    static let day = 86_400_000

    @Test func deletesOldSettledAttemptsEmptiedJobsAndEndedSuppressions() async throws {
        try await LedgerFixture.with { fixture in
            let ledger = fixture.ledger
            let now = fixture.now
            // "old" has only old attempts; "mixed" keeps a recent one; the in-flight one is kept.
            try await ledger.insert(AttemptRecord(job: "old", row: 0, intentAt: now - 500 * Self.day))
            try await ledger.insert(AttemptRecord(job: "old", row: 1, status: .failed, intentAt: now - 450 * Self.day))
            try await ledger.insert(
                AttemptRecord(job: "mixed", row: 0, status: .uncertain, intentAt: now - 401 * Self.day)
            )
            try await ledger.insert(AttemptRecord(job: "mixed", row: 1, intentAt: now - 399 * Self.day))
            try await ledger.insert(
                AttemptRecord(job: "stuck", row: 0, status: .intent, intentAt: now - 600 * Self.day, settledAt: nil)
            )
            let ended = UTCTimestamp(millisecondsSince1970: Int64(now - 1))
            try await ledger.addSuppression(number: "+15550100001", reason: nil, until: ended)
            try await ledger.addSuppression(number: "+15550100002", reason: nil, until: nil)
            try await ledger.addSuppression(
                number: "+15550100003",
                reason: nil,
                until: UTCTimestamp(millisecondsSince1970: Int64(now + Self.day))
            )

            let pruned = try await ledger.prune(olderThan: 400 * 86_400)
            #expect(pruned == PruneSummary(attempts: 3, jobs: 1, suppressions: 1))
            #expect(try await ledger.jobs().map(\.job).sorted() == ["mixed", "stuck"])
            #expect(try await ledger.count("attempts") == 2)
            #expect(try await ledger.history(number: "+15550100001").map(\.job) == ["mixed", "stuck"])
            #expect(try await ledger.suppressions().map(\.number) == ["+15550100002", "+15550100003"])

            // Nothing left to do the second time.
            #expect(
                try await ledger.prune(olderThan: 400 * 86_400) == PruneSummary(attempts: 0, jobs: 0, suppressions: 0)
            )
        }
    }

    @Test func refusesACutoffInsideTheLongestLimitWindow() async throws {
        try await LedgerFixture.with { fixture in
            let ledger = fixture.ledger
            let now = fixture.now
            try await ledger.insert(AttemptRecord(row: 0, intentAt: now - 2 * Self.day))

            // The built-in default counts 24 hours.
            let error = await #expect(throws: LedgerInputError.self) { try await ledger.prune(olderThan: 3_600) }
            #expect(error?.code == "PruneWithinLimitWindow")
            #expect(error?.message.hasPrefix("--older-than 1h is shorter than the longest limit window (24h)") == true)
            #expect(try await ledger.prune(olderThan: 86_400).attempts == 1)

            // Configured defaults: their longest window.
            try await ledger.insert(AttemptRecord(row: 1, intentAt: now - 2 * Self.day))
            try await ledger.setDefaults(
                LedgerDefaults(
                    limits: .limits([
                        ContactLimit(max: 1, perSeconds: 86_400), ContactLimit(max: 3, perSeconds: 7 * 86_400),
                    ])
                )
            )
            let refused = await #expect(throws: LedgerInputError.self) { try await ledger.prune(olderThan: 86_400) }
            #expect(refused?.message.contains("(7d)") == true)
            #expect(try await ledger.count("attempts") == 1)

            // --force prunes anyway.
            #expect(try await ledger.prune(olderThan: 86_400, force: true).attempts == 1)
            #expect(try await ledger.count("attempts") == 0)
        }
    }

    @Test func keepsAJobRunSinceTheCutoff() async throws {
        try await LedgerFixture.with { fixture in
            let ledger = fixture.ledger
            try await ledger.insert(AttemptRecord(job: "running", intentAt: fixture.now - 500 * Self.day))
            // Running it again now: its old attempt goes, the job stays.
            let run = try await ledger.beginRun(jobs: ["running"], sources: [], rules: [:], command: "outdial run")
            let pruned = try await ledger.prune(olderThan: 400 * 86_400)
            #expect(pruned.attempts == 1)
            #expect(pruned.jobs == 0)
            await run.finish()
        }
    }
}
