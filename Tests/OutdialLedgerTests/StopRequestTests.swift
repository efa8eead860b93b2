import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// `outdial stop` in the store: which runs a stop reaches, and which calls it ends.
struct StopRequestTests {
    @Test func aStopReachesTheRunsOfTheJobThatBeganBeforeItAndNoLaterOne() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
        let running = try await ClaimTests.begin(ledger)
        let other = try await ClaimTests.begin(ledger, job: "job-b", source: "b.yaml")
        #expect(await running.stopRequested() == nil)

        clock.advance(by: 5)
        let request = try await ledger.requestStop(job: "job-a", reason: "wrong list")
        #expect(request.requestedAt.date == clock.date)
        #expect(await running.stopRequested() == "wrong list")
        #expect(await other.stopRequested() == nil)
        await running.finish()
        await other.finish()

        // Tomorrow's run of the same job is not stopped by yesterday's stop.
        clock.advance(by: 86_400)
        let tomorrow = try await ClaimTests.begin(ledger)
        #expect(await tomorrow.stopRequested() == nil)
        await tomorrow.finish()
        await ledger.close()
    }

    /// Once `outdial stop` is committed, no intent of the job is: the calls the command lists then
    /// are all the run will start (a run looks at the records only now and then).
    @Test func noIntentOfAStoppedJobIsRecordedAfterTheStop() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        let running = try await ClaimTests.begin(ledger)
        let other = try await ClaimTests.begin(ledger, job: "job-b", source: "b.yaml")
        #expect(try await running.recordIntent(for: LedgerFixtures.row(0)) == .recorded)
        #expect(try await ledger.requestsInFlight(job: "job-a", since: 0) == 1)

        _ = try await ledger.requestStop(job: "job-a", reason: "wrong list")
        let answer = try await running.recordIntent(for: LedgerFixtures.row(1))
        guard case .refused(let refusal) = answer else {
            Issue.record("the row of the stopped job was recorded: \(answer)")
            return
        }
        #expect(refusal.reason == .stopped)
        #expect(refusal.error.message == "wrong list")
        #expect(try await ledger.requestsInFlight(job: "job-a", since: 0) == 1)
        // Another job goes on.
        #expect(try await other.recordIntent(for: LedgerFixtures.row(1, job: "job-b", source: "b.yaml")) == .recorded)
        await running.finish()
        await other.finish()
        await ledger.close()
    }

    @Test func theContactsOfAJobStartedInTheLastHoursAreTheOnesToEnd() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
        let run = try await ClaimTests.begin(ledger)
        let old = LedgerFixtures.row(0)
        #expect(try await run.recordIntent(for: old) == .recorded)
        await run.recordOutcome(for: old, .started(contactId: "contact-old"), attempts: 1)
        clock.advance(by: 13 * 3600)
        let recent = LedgerFixtures.row(1)
        let refused = LedgerFixtures.row(2)
        #expect(try await run.recordIntent(for: recent) == .recorded)
        await run.recordOutcome(for: recent, .started(contactId: "contact-new"), attempts: 1)
        #expect(try await run.recordIntent(for: refused) == .recorded)
        await run.recordOutcome(for: refused, .failed(code: "InvalidParameterException"), attempts: 1)
        await run.finish()

        let contacts = try await ledger.startedContacts(job: "job-a")
        #expect(contacts.map(\.contactId) == ["contact-new"])
        #expect(contacts.first?.row == 1)
        #expect(try await ledger.startedContacts(job: "job-b").isEmpty)
        await ledger.close()
    }

    @Test func aStoreOfTheFirstVersionIsMigratedAndKeepsItsRows() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        let run = try await ClaimTests.begin(ledger)
        let row = LedgerFixtures.row(0)
        #expect(try await run.recordIntent(for: row) == .recorded)
        await run.recordOutcome(for: row, .started(contactId: "contact-0"), attempts: 1)
        await run.finish()
        // As the first version left it: no stop_requests (nor what came after), schema version 1.
        try await ledger.database.execute("DROP INDEX attempts_by_token")
        try await ledger.database.execute("DROP TABLE job_rows")
        try await ledger.database.execute("DROP TABLE workers")
        try await ledger.database.execute("DROP TABLE stop_requests")
        try await ledger.database.execute("DROP TABLE quota_buckets")
        try await ledger.database.execute("UPDATE ledger_meta SET value = '1' WHERE key = 'schema_version'")
        await ledger.close()

        let (again, from, to) = try await Ledger.openMigrating(in: state.directory)
        #expect(from == 1 && to == LedgerSchema.currentVersion)
        _ = try await again.requestStop(job: "job-a", reason: "test")
        #expect(try await again.startedContacts(job: "job-a").map(\.contactId) == ["contact-0"])
        await again.close()
    }
}
