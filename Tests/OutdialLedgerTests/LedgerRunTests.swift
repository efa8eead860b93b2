import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// Runs: job locks in the store, what earlier runs recorded, and the store's own health.
struct LedgerRunTests {
    @Test func aJobHeldByARunningRunIsRefusedNamingTheHolder() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        let first = try await ClaimTests.begin(ledger)
        // A second process (a second connection) asks for the same job.
        let other = try await Ledger.open(in: state.directory)
        await #expect(throws: RecordingError.self) {
            try await ClaimTests.begin(other)
        }
        do {
            _ = try await ClaimTests.begin(other)
        } catch let error as RecordingError {
            #expect(error.code == "JobLocked")
            #expect(error.message.contains("pid \(getpid())"))
            #expect(error.message.contains("outdial run a.yaml"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        // Another job is free.
        let free = try await ClaimTests.begin(other, job: "job-b", source: "b.yaml")
        await free.finish()
        await first.finish()
        // Once the first run is finished, the job is free again.
        let again = try await ClaimTests.begin(other)
        await again.finish()
        await other.close()
        await ledger.close()
    }

    @Test func theLockOfAProcessThatDiedIsTakenOver() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        // A run killed with -9 leaves its row behind: a pid that no longer runs.
        try await ledger.database.execute(
            """
            INSERT INTO job_locks (job, holder, host, pid, process_start, command, since_at, heartbeat_at)
            VALUES ('job-a', 'gone', $1, 2147483, '1', 'outdial run a.yaml', 0, 0)
            """,
            [.text(RunHolder.hostName())]
        )
        let run = try await ClaimTests.begin(ledger)
        await run.finish()
        // A pid that runs again, but as another process (its start time differs), is not the holder.
        try await ledger.database.execute(
            """
            INSERT INTO job_locks (job, holder, host, pid, process_start, command, since_at, heartbeat_at)
            VALUES ('job-a', 'reused', $1, $2, 'not-this-start', 'outdial run a.yaml', 0, 0)
            """,
            [.text(RunHolder.hostName()), .integer(Int(getpid()))]
        )
        let taken = try await ClaimTests.begin(ledger)
        await taken.finish()
        await ledger.close()
    }

    @Test func earlierRunsOfTheJobAreReadForResume() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        let first = try await ClaimTests.begin(ledger, rules: JobRules(limits: .off))
        let rows = (0 ..< 4).map { LedgerFixtures.row($0) }
        for row in rows { #expect(try await first.recordIntent(for: row) == .recorded) }
        await first.recordOutcome(for: rows[0], .started(contactId: "c-0"))
        await first.recordOutcome(for: rows[1], .failed(code: "InvalidParameterException"))
        await first.recordOutcome(for: rows[2], .uncertain(code: "Timeout"))
        // rows[3]: the intent only, as after kill -9.
        await first.finish()

        let second = try await ClaimTests.begin(ledger, rules: JobRules(limits: .off))
        #expect(second.earlier(rows[0]) == .started(contactId: "c-0"))
        #expect(second.earlier(rows[1]) == .failed(code: "InvalidParameterException"))
        #expect(second.earlier(rows[2]) == .uncertain)
        #expect(second.earlier(rows[3]) == .uncertain)
        // The failed row is sent again; then its success is what later runs see.
        #expect(try await second.recordIntent(for: rows[1]) == .recorded)
        await second.recordOutcome(for: rows[1], .started(contactId: "c-1"))
        await second.finish()
        let third = try await ClaimTests.begin(ledger)
        #expect(third.earlier(rows[1]) == .started(contactId: "c-1"))
        // Another job's rows with the same tokens are not this job's.
        #expect(third.earlier(LedgerFixtures.row(0, job: "job-b")) == nil)
        await third.finish()
        await ledger.close()
    }

    @Test func aFileThatIsNotALedgerIsRefusedAndLeftAlone() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        try state.directory.prepare()
        let text = "these are my notes, not a database\n"
        try text.write(toFile: state.ledgerPath, atomically: false, encoding: .utf8)
        await #expect {
            try await Ledger.open(in: state.directory)
        } throws: { error in
            guard let error = error as? RecordingError else { return false }
            return error.code == "LedgerUnusable" && error.message.contains(state.ledgerPath)
        }
        #expect(try String(contentsOfFile: state.ledgerPath, encoding: .utf8) == text)
    }

    @Test func anotherApplicationsDatabaseIsNotTakenOver() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        await ledger.close()
        // Make a store that holds someone else's tables only.
        let foreign = try TemporaryState()
        defer { foreign.remove() }
        try foreign.directory.prepare()
        let database = try await SQLiteLedgerDatabase.open(path: foreign.ledgerPath, busyTimeout: .seconds(1))
        try await database.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        await database.close()
        await #expect {
            try await Ledger.open(in: foreign.directory)
        } throws: { error in
            (error as? RecordingError)?.code == "LedgerUnusable"
        }
    }

    @Test func aStoreFromANewerVersionIsRefusedWithWhatToDo() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        try await ledger.database.execute("UPDATE ledger_meta SET value = '99' WHERE key = 'schema_version'")
        await ledger.close()
        await #expect {
            try await Ledger.open(in: state.directory)
        } throws: { error in
            guard let error = error as? RecordingError else { return false }
            return error.code == "LedgerTooNew" && error.message.contains("schema version 99")
                && error.message.contains("upgrade outdial")
        }
    }

    @Test func migrationIsRecordedAndRunsOnce() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory)
        #expect(try await ledger.schemaVersion() == LedgerSchema.currentVersion)
        let again = try await ledger.migrate()
        #expect(again.from == LedgerSchema.currentVersion && again.to == LedgerSchema.currentVersion)
        await ledger.close()
        // The store is owner-only: it holds phone numbers.
        var info = stat()
        #expect(stat(state.ledgerPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    // It gives up after its busy timeout; the library's own handler would wait forever.
    @Test(.timeLimit(.minutes(1))) func aStoreLockedByAnotherProcessGivesUpAfterTheBusyTimeout() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let holder = try await Ledger.open(in: state.directory)
        try await holder.database.execute("BEGIN EXCLUSIVE")
        await #expect {
            let ledger = try await Ledger.open(in: state.directory, busyTimeout: .milliseconds(200))
            do {
                _ = try await ClaimTests.begin(ledger)
            } catch {
                await ledger.close()
                throw error
            }
        } throws: { error in
            guard let error = error as? RecordingError else { return false }
            return error.code == "LedgerBusy" && error.message.contains(state.ledgerPath)
        }
        try await holder.database.execute("ROLLBACK")
        await holder.close()
    }
}
