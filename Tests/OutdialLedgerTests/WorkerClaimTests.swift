import Foundation
import OutdialBase
import OutdialCore
import Testing

@testable import OutdialLedger

/// One job run by several workers on one store (ledger.md, "Many machines"): the rows registered
/// once, claimed without overlap, taken over from a worker whose lease ran out, sent again in the
/// job's next round when they failed, and read back whole by `outdial ledger results`. Every
/// worker here is a run of this process (each with its own holder token); the leases are judged
/// on the store's injected wall clock.
struct WorkerClaimTests {
    /// A worker of `job-a` (source `a.yaml`): its run, and its token in the store.
    struct Worker {
        var run: LedgerRun
        var token: String
    }

    static let job = "job-a"
    static let source = "a.yaml"
    static let lease = Duration.seconds(30)

    /// Starts a run of `job-a` as a worker with a 30 s lease, and finds its token in `workers`.
    static func worker(_ ledger: Ledger, rules: JobRules = JobRules()) async throws -> Worker {
        let before = Set(try await workerTokens(ledger))
        let run = try await ledger.beginRun(
            jobs: [job],
            sources: [source],
            rules: [source: rules],
            command: "outdial run --worker \(source)",
            lease: lease
        )
        let token = try #require(try await workerTokens(ledger).first { !before.contains($0) })
        return Worker(run: run, token: token)
    }

    /// Two workers of `job-a` that joined with its rows `0 ..< count`, and the store's ids.
    static func twoWorkers(_ ledger: Ledger, rows count: Int) async throws
        -> (a: Worker, b: Worker, rows: [PlannedRow], ids: (job: Int, source: Int))
    {
        let a = try await worker(ledger)
        let b = try await worker(ledger)
        let rows = rows(0 ..< count)
        _ = try await a.run.joinWorkers(rows: rows, settled: [])
        _ = try await b.run.joinWorkers(rows: rows, settled: [])
        return (a, b, rows, try await ids(ledger))
    }

    static func workerTokens(_ ledger: Ledger) async throws -> [String] {
        try await ledger.database.query("SELECT worker FROM workers", []).compactMap { $0.first?.text }
    }

    /// The store's ids of `job-a` and of `a.yaml`.
    static func ids(_ ledger: Ledger) async throws -> (job: Int, source: Int) {
        let job = try await ledger.database.query("SELECT id FROM jobs WHERE job = $1", [.text(job)])
        let source = try await ledger.database.query("SELECT id FROM sources WHERE path = $1", [.text(source)])
        return (try #require(job.first?.first?.integer), try #require(source.first?.first?.integer))
    }

    /// The rows of `job-a` with these indices (row `i` calls `+1555010000i`, token `token-job-a-i`).
    static func rows(_ indices: some Sequence<Int>) -> [PlannedRow] {
        indices.map { LedgerFixtures.row($0, job: job, source: source) }
    }

    /// The line of a row settled before it could be sent.
    static func invalid(_ index: Int) -> ResultLine {
        var line = ResultLine(
            ref: RowRef(job: job, source: source, row: index, line: index + 10),
            destination: "555-not-a-number-\(index)",
            clientToken: "token-\(job)-\(index)",
            status: .invalid
        )
        line.error = RowError(code: "InvalidDestination", message: "not an E.164 number", retryable: false)
        return line
    }

    /// The line of a row a worker settled.
    static func settled(_ row: PlannedRow, _ status: RowStatus) -> ResultLine {
        var line = ResultLine(ref: row.ref, destination: row.destination, clientToken: row.clientToken, status: status)
        switch status {
        case .started: line.contactId = "contact-\(row.ref.row)"
        case .failed:
            line.error = RowError(code: "InvalidParameterException", message: "refused", retryable: false)
        default: break
        }
        return line
    }

    /// The rows of `lines` settled by `worker`, as its feed writes them.
    static func settle(
        _ ledger: Ledger,
        _ lines: [ResultLine],
        by worker: Worker,
        ids: (job: Int, source: Int)
    ) async throws {
        try await ledger.settleRows(
            lines.map { line in
                Ledger.SettledJobRow(
                    job: ids.job,
                    key: JobRowKey(sourceId: ids.source, row: line.ref.row),
                    line: WorkerFeed.text(of: line),
                    reopen: WorkerFeed.reopens(line)
                )
            },
            worker: worker.token
        )
    }

    /// The rows claimed by `worker` now, or nil (and an issue) when the claim got none.
    static func claim(_ ledger: Ledger, _ worker: Worker, count: Int, job: Int) async throws
        -> (keys: [JobRowKey], earlier: [String: JournalState.Entry])?
    {
        let claim = try await ledger.claimRows(jobs: [job], worker: worker.token, count: count)[job]
        guard case .rows(let keys, let earlier) = claim else {
            Issue.record("expected rows, got \(String(describing: claim))")
            return nil
        }
        return (keys, earlier)
    }

    static func rowStates(_ ledger: Ledger) async throws -> [Int: JobRowState] {
        let rows = try await ledger.database.query("SELECT row_index, state FROM job_rows", [])
        var states: [Int: JobRowState] = [:]
        for row in rows {
            guard row.count == 2, let index = row[0].integer,
                let state = row[1].integer.flatMap({ JobRowState(rawValue: $0) })
            else { continue }
            states[index] = state
        }
        return states
    }

    static func milliseconds(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }

    // MARK: - Registration

    @Test func rowsAreRegisteredOnceAndOnlyTheFirstWorkerWritesTheLinesSettledBeforeSending() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory, wallClock: TestWallClock().read)
        let a = try await Self.worker(ledger)
        let b = try await Self.worker(ledger)
        #expect(a.token != b.token)

        let rows = Self.rows(0 ..< 10)
        let invalid = [Self.invalid(10), Self.invalid(11)]
        let first = try await a.run.joinWorkers(rows: rows, settled: invalid)
        let second = try await b.run.joinWorkers(rows: rows, settled: invalid)
        // The results of the job hold each invalid row once: A writes them, B does not.
        #expect(first.settled.map(\.ref.row).sorted() == [10, 11])
        #expect(second.settled.isEmpty)

        let counts = try await ledger.database.query(
            "SELECT state, COUNT(*) FROM job_rows GROUP BY state ORDER BY state",
            []
        )
        #expect(counts.map { $0.map(\.integer) } == [[0, 10], [2, 2]])
        await a.run.finish()
        await b.run.finish()
        await ledger.close()
    }

    // MARK: - Claims

    @Test func twoWorkersNeverClaimTheSameRowAndTheJobIsDoneOnceEveryRowIsSettled() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
        let (a, b, rows, ids) = try await Self.twoWorkers(ledger, rows: 10)

        var held: [String: [Int]] = [:]
        var claimed: [Int] = []
        for turn in 0 ..< 4 {
            let worker = turn.isMultiple(of: 2) ? a : b
            let claim = try #require(try await Self.claim(ledger, worker, count: 3, job: ids.job))
            #expect(claim.earlier.isEmpty)
            held[worker.token, default: []] += claim.keys.map(\.row)
            claimed += claim.keys.map(\.row)
        }
        // Every row once, in the order of the job's rows.
        #expect(claimed == Array(0 ..< 10))
        #expect(held[a.token]?.sorted() == [0, 1, 2, 6, 7, 8])
        #expect(held[b.token]?.sorted() == [3, 4, 5, 9])

        // Nothing left to claim: each waits for the other's rows, at most until its lease ends.
        let leaseEnd = Self.milliseconds(clock.date) + 30_000
        for worker in [a, b] {
            let claim = try await ledger.claimRows(jobs: [ids.job], worker: worker.token, count: 3)[ids.job]
            guard case .wait(let until) = claim else {
                Issue.record("expected a wait, got \(String(describing: claim))")
                continue
            }
            #expect(until == leaseEnd)
        }

        // A line for a row another worker holds is not written: A settles only its own rows.
        try await Self.settle(ledger, rows.map { Self.settled($0, .started) }, by: a, ids: ids)
        let states = try await Self.rowStates(ledger)
        #expect(states.filter { $0.value == .settled }.keys.sorted() == [0, 1, 2, 6, 7, 8])
        #expect(states.filter { $0.value == .claimed }.keys.sorted() == [3, 4, 5, 9])
        let waiting = try await ledger.claimRows(jobs: [ids.job], worker: a.token, count: 3)[ids.job]
        guard case .wait = waiting else {
            Issue.record("A should wait for B's rows, got \(String(describing: waiting))")
            return
        }

        try await Self.settle(ledger, [3, 4, 5, 9].map { Self.settled(rows[$0], .started) }, by: b, ids: ids)
        for worker in [a, b] {
            let claim = try await ledger.claimRows(jobs: [ids.job], worker: worker.token, count: 3)[ids.job]
            guard case .done = claim else {
                Issue.record("expected done, got \(String(describing: claim))")
                continue
            }
        }
        await a.run.finish()
        await b.run.finish()
        await ledger.close()
    }

    // MARK: - Lease

    @Test func aWorkerWhoseLeaseRanOutLosesItsRowsAndItsRequestsInFlightBecomeUncertain() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
        let (a, b, rows, ids) = try await Self.twoWorkers(ledger, rows: 10)

        let mine = try #require(try await Self.claim(ledger, a, count: 4, job: ids.job))
        #expect(mine.keys.map(\.row) == [0, 1, 2, 3])
        // Row 0's request is in flight; row 1's call was started.
        #expect(try await a.run.recordIntent(for: rows[0]) == .recorded)
        #expect(try await a.run.recordIntent(for: rows[1]) == .recorded)
        await a.run.recordOutcome(for: rows[1], .started(contactId: "contact-1"))

        // B's heartbeat renews its lease; A's does not (the process is paused, or cut off).
        clock.advance(by: 20)
        #expect(try await ledger.renewLease(worker: b.token, leaseMilliseconds: 30_000))
        clock.advance(by: 11)

        let taken = try #require(try await Self.claim(ledger, b, count: 2, job: ids.job))
        // A's four rows, then two free ones.
        #expect(Set(taken.keys.map(\.row)) == [0, 1, 2, 3, 4, 5])
        #expect(
            taken.earlier == [
                "token-job-a-0": .uncertain,
                "token-job-a-1": .started(contactId: "contact-1"),
            ]
        )
        let attempts = try await ledger.database.query(
            "SELECT client_token, status, error_code FROM attempts ORDER BY id",
            []
        )
        #expect(attempts.map { $0[0].text } == ["token-job-a-0", "token-job-a-1"])
        #expect(attempts.map { $0[1].integer } == [AttemptStatus.uncertain.rawValue, AttemptStatus.started.rawValue])
        #expect(attempts.first?[2].text == "OutcomeUnknown")

        // A may no longer start a row it held, nor claim one.
        let late = try await a.run.recordIntent(for: rows[2])
        #expect(late.refusalReason == .halted)
        #expect(late.refusal?.error.code == ErrorCode.leaseLost)
        let claim = try await ledger.claimRows(jobs: [ids.job], worker: a.token, count: 4)[ids.job]
        guard case .leaseLost = claim else {
            Issue.record("expected the lease lost, got \(String(describing: claim))")
            return
        }
        // Back from its pause, A renews: the rows B took over stay B's.
        _ = try await ledger.renewLease(worker: a.token, leaseMilliseconds: 30_000)
        #expect(try await a.run.recordIntent(for: rows[3]).refusal?.error.code == ErrorCode.leaseLost)
        // B may start the row A never did.
        #expect(try await b.run.recordIntent(for: rows[2]) == .recorded)
        await a.run.finish()
        await b.run.finish()
        await ledger.close()
    }

    @Test func aWorkerThatStopsLeavesItsUnsentRowsToTheOthers() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory, wallClock: TestWallClock().read)
        let (a, b, rows, ids) = try await Self.twoWorkers(ledger, rows: 4)
        _ = try #require(try await Self.claim(ledger, a, count: 3, job: ids.job))
        // Interrupted: row 0 was started, row 1 is given back unsent, row 2 is still held.
        try await Self.settle(ledger, [Self.settled(rows[0], .started)], by: a, ids: ids)
        try await ledger.settleRows(
            [
                Ledger.SettledJobRow(
                    job: ids.job,
                    key: JobRowKey(sourceId: ids.source, row: 1),
                    line: nil,
                    reopen: false
                )
            ],
            worker: a.token
        )
        try await ledger.leaveJobs(worker: a.token)

        let rest = try #require(try await Self.claim(ledger, b, count: 10, job: ids.job))
        #expect(rest.keys.map(\.row) == [1, 2, 3])
        #expect(rest.earlier.isEmpty)
        // A left for good: no lease to renew, no row to claim.
        #expect(try await ledger.renewLease(worker: a.token, leaseMilliseconds: 30_000) == false)
        let claim = try await ledger.claimRows(jobs: [ids.job], worker: a.token, count: 1)[ids.job]
        guard case .leaseLost = claim else {
            Issue.record("a worker that left claimed again: \(String(describing: claim))")
            return
        }
        let lines = try #require(try await ledger.jobResults(job: Self.job))
        let fields = try lines.map { try JSONDecoder().decode(ResultFields.self, from: Data($0.utf8)) }
        #expect(fields.map(\.status) == ["started", "pending", "pending", "pending"])
        #expect(fields.map(\.worker) == [nil, b.token, b.token, b.token])
        await a.run.finish()
        await b.run.finish()
        await ledger.close()
    }

    @Test func aRunOfTheJobForItselfAndWorkersOfItExcludeEachOther() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
        let worker = try await Self.worker(ledger)

        let refused = await #expect(throws: RecordingError.self) {
            try await ClaimTests.begin(ledger)
        }
        #expect(refused?.code == ErrorCode.jobLocked)
        #expect(refused?.message.contains("1 worker (--worker)") == true)

        // The worker's lease ran out (it died): the job is free for a run of its own.
        clock.advance(by: 31)
        let alone = try await ClaimTests.begin(ledger)
        let second = await #expect(throws: RecordingError.self) {
            try await Self.worker(ledger)
        }
        #expect(second?.code == ErrorCode.jobLocked)
        #expect(second?.message.contains("pid \(getpid())") == true)

        await alone.finish()
        let next = try await Self.worker(ledger)
        await next.run.finish()
        await worker.run.finish()
        await ledger.close()
    }

    /// A worker paused past its lease, while a run took the job for itself, must not start rows
    /// when it comes back: the job is that run's now.
    @Test func aWorkerBackFromAPauseStartsNoRowOfAJobARunNowHoldsForItself() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
        let off = JobRules(limits: .off)
        let worker = try await Self.worker(ledger, rules: off)
        let rows = Self.rows(0 ..< 4)
        _ = try await worker.run.joinWorkers(rows: rows, settled: [])
        let ids = try await Self.ids(ledger)
        _ = try #require(try await Self.claim(ledger, worker, count: 2, job: ids.job))

        clock.advance(by: 31)
        let alone = try await ClaimTests.begin(ledger, rules: off)
        #expect(try await alone.recordIntent(for: rows[0]) == .recorded)
        // The worker's heartbeat runs again.
        let renewed = try await ledger.renewLease(worker: worker.token, leaseMilliseconds: 30_000)
        let answer = try await worker.run.recordIntent(for: rows[0])
        let claim = try await ledger.claimRows(jobs: [ids.job], worker: worker.token, count: 2)[ids.job]
        let intents = try await ledger.database.query(
            "SELECT COUNT(*) FROM attempts WHERE client_token = $1",
            [.text(rows[0].clientToken)]
        )
        // One call for the row, the run's: a lease that ran out is not renewed.
        #expect(intents.first?.first?.integer == 1)
        #expect(!renewed)
        #expect(answer.refusal?.error.code == ErrorCode.leaseLost)
        if case .leaseLost = claim {
        } else {
            Issue.record("the worker claimed rows of a job another run holds: \(String(describing: claim))")
        }
        await alone.finish()
        await worker.run.finish()
        await ledger.close()
    }

    /// A worker that ends with a row whose line it could not write gives the row back: the next
    /// worker must learn from the attempts that its call was started, as a takeover does.
    @Test func aRowGivenBackAfterItsCallStartedComesWithItsAttempt() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory, wallClock: TestWallClock().read)
        let (a, b, rows, ids) = try await Self.twoWorkers(ledger, rows: 4)
        let mine = try #require(try await Self.claim(ledger, a, count: 2, job: ids.job))
        #expect(mine.keys.map(\.row) == [0, 1])
        #expect(try await a.run.recordIntent(for: rows[0]) == .recorded)
        await a.run.recordOutcome(for: rows[0], .started(contactId: "contact-0"))
        // Row 0's line was not written (the store was out of reach then); A ends.
        await a.run.finish()

        let given = try #require(try await Self.claim(ledger, b, count: 2, job: ids.job))
        #expect(given.keys.map(\.row) == [0, 1])
        #expect(given.earlier == ["token-job-a-0": .started(contactId: "contact-0")])
        await b.run.finish()
        await ledger.close()
    }

    // MARK: - Rounds

    @Test func theNextRoundSendsTheFailedRowsAgainButNotTheStartedOnes() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let clock = TestWallClock()
        let ledger = try await Ledger.open(in: state.directory, wallClock: clock.read)
        let (a, b, rows, ids) = try await Self.twoWorkers(ledger, rows: 6)
        _ = try #require(try await Self.claim(ledger, a, count: 3, job: ids.job))
        _ = try #require(try await Self.claim(ledger, b, count: 3, job: ids.job))
        try await Self.settle(
            ledger,
            [Self.settled(rows[0], .failed), Self.settled(rows[1], .started), Self.settled(rows[2], .started)],
            by: a,
            ids: ids
        )
        try await Self.settle(
            ledger,
            [Self.settled(rows[3], .started), Self.settled(rows[4], .failed), Self.settled(rows[5], .started)],
            by: b,
            ids: ids
        )

        // A worker that joins while the others' leases are live is part of the same round.
        let late = try await Self.worker(ledger)
        _ = try await late.run.joinWorkers(rows: rows, settled: [])
        #expect(try await Self.rowStates(ledger).values.allSatisfy { $0 == .settled })
        guard case .done = try await ledger.claimRows(jobs: [ids.job], worker: late.token, count: 10)[ids.job] else {
            Issue.record("the same round sent a failed row again")
            return
        }
        await a.run.finish()
        await b.run.finish()

        // Every lease ran out (the late worker died): the next worker starts a new round.
        clock.advance(by: 31)
        let next = try await Self.worker(ledger)
        _ = try await next.run.joinWorkers(rows: rows, settled: [])
        let states = try await Self.rowStates(ledger)
        #expect(states.filter { $0.value == .pending }.keys.sorted() == [0, 4])
        let again = try #require(try await Self.claim(ledger, next, count: 10, job: ids.job))
        #expect(again.keys.map(\.row) == [0, 4])
        await next.run.finish()
        await late.run.finish()
        await ledger.close()
    }

    // MARK: - Results

    @Test func theJobsResultsHaveOneLinePerRowInRowOrder() async throws {
        let state = try TemporaryState()
        defer { state.remove() }
        let ledger = try await Ledger.open(in: state.directory, wallClock: TestWallClock().read)
        let a = try await Self.worker(ledger)
        let rows = Self.rows([0, 1, 3, 4])
        let invalid = Self.invalid(2)
        _ = try await a.run.joinWorkers(rows: rows, settled: [invalid])
        let ids = try await Self.ids(ledger)
        let claim = try #require(try await Self.claim(ledger, a, count: 2, job: ids.job))
        #expect(claim.keys.map(\.row) == [0, 1])
        let started = Self.settled(rows[0], .started)
        try await Self.settle(ledger, [started], by: a, ids: ids)

        let lines = try #require(try await ledger.jobResults(job: Self.job))
        try #require(lines.count == 5)
        #expect(lines[0] == WorkerFeed.text(of: started))
        #expect(lines[2] == WorkerFeed.text(of: invalid))
        let fields = try lines.map { try JSONDecoder().decode(ResultFields.self, from: Data($0.utf8)) }
        #expect(fields.map(\.row) == [0, 1, 2, 3, 4])
        #expect(fields.map(\.status) == ["started", "pending", "invalid", "pending", "pending"])
        // The row claimed and not settled says which worker holds it; the free ones, none.
        #expect(fields.map(\.worker) == [nil, a.token, nil, nil, nil])
        #expect(
            fields[3]
                == ResultFields(
                    job: Self.job,
                    source: Self.source,
                    row: 3,
                    line: 13,
                    destination: "+15550100003",
                    clientToken: "token-job-a-3",
                    status: "pending"
                )
        )

        #expect(try await ledger.jobResults(job: "job-nobody-ran") == nil)
        await a.run.finish()
        await ledger.close()
    }

    /// What a test reads of a results line.
    struct ResultFields: Decodable, Equatable {
        var job: String
        var source: String
        var row: Int
        var line: Int
        var destination: String
        var clientToken: String
        var status: String
        var worker: String?
    }
}
