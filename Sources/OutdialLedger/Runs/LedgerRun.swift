import Foundation
import OutdialCore
import Synchronization

/// One run's use of the ledger: the jobs it holds, what earlier runs recorded for their rows,
/// and, for every row it sends, the claim (suppression and limits decided, intent committed in
/// one transaction) and the outcome.
public final class LedgerRun: RunRecords, Sendable {
    private let ledger: Ledger
    /// The run's holder token; nil for a dry run's read-only view.
    private let holder: String?
    /// When the run began (ms since 1970): a stop asked for before it does not stop it.
    private let startedAt: Int
    private let jobIds: [String: Int]
    private let sourceIds: [String: Int]
    private let rules: [String: JobRules]
    private let defaults: LedgerDefaults
    private let earlierEntries: [String: [String: JournalState.Entry]]
    private let legacy: [String: [JournalState]]
    /// The rules read whole while the rows were planned, if that was started.
    private let readAhead: ScreenReadAhead?
    private let attemptIds = Mutex<[AttemptKey: Int]>([:])
    private let finished = Mutex(false)
    /// This run as one of a job's workers (`--worker`), else nil.
    private let worker: WorkerIdentity?
    /// The worker's feed, once it joined the workers.
    private let feed = Mutex<WorkerFeed?>(nil)
    public let warnings: [String]

    init(
        ledger: Ledger,
        holder: String?,
        startedAt: Int,
        jobIds: [String: Int],
        sourceIds: [String: Int],
        rules: [String: JobRules],
        defaults: LedgerDefaults,
        earlier: [String: [String: JournalState.Entry]],
        legacy: [String: [JournalState]],
        warnings: [String],
        readAhead: ScreenReadAhead? = nil,
        worker: WorkerIdentity? = nil
    ) {
        self.worker = worker
        self.warnings = warnings
        self.readAhead = readAhead
        self.ledger = ledger
        self.holder = holder
        self.startedAt = startedAt
        self.jobIds = jobIds
        self.sourceIds = sourceIds
        self.rules = rules
        self.defaults = defaults
        // Jobs with nothing on record are left out, so a first run asks nothing per row.
        self.earlierEntries = earlier.filter { !$0.value.isEmpty }
        self.legacy = legacy.filter { !$0.value.isEmpty }
    }

    /// The store's path, for messages.
    public var path: String { ledger.path }

    /// Whether `outdial stop` asked one of this run's jobs to stop since the run began.
    public func stopRequested() async -> String? {
        guard holder != nil else { return nil }
        return try? await ledger.stopRequest(jobs: Array(jobIds.keys), since: startedAt)?.reason
    }

    public var remembersEarlierRuns: Bool { !earlierEntries.isEmpty || !legacy.isEmpty }

    /// What earlier runs recorded for `row` (in the ledger, or in a journal an earlier version
    /// kept for its job).
    public func earlier(_ row: PlannedRow) -> JournalState.Entry? {
        guard remembersEarlierRuns else { return nil }
        if let entry = earlierEntries[row.ref.job]?[row.clientToken] { return entry }
        return legacy[row.ref.job]?.lazy.compactMap { $0[row.clientToken] }.first
    }

    /// The limits the rows of `source` run under.
    public func limits(forSource source: String) -> [ContactLimit] {
        defaults.limits(for: rules[source] ?? JobRules())
    }

    /// The limit key the rows of `source` run under.
    public func limitKey(forSource source: String) -> LimitKey {
        defaults.limitKey(for: rules[source] ?? JobRules())
    }

    public func recordIntent(for row: PlannedRow) async throws(RecordingError) -> IntentAnswer {
        guard holder != nil else {
            throw .ledgerWriteFailed(ledger.path, "a dry run records nothing")
        }
        guard let jobId = jobIds[row.ref.job], let sourceId = sourceIds[row.ref.source] else {
            throw .ledgerWriteFailed(ledger.path, "the row's job or source was not registered for this run")
        }
        let request = ClaimRequest(
            jobId: jobId,
            sourceId: sourceId,
            clientToken: row.clientToken,
            row: row.ref.row,
            line: row.ref.line,
            destination: row.destination,
            instanceId: row.instanceId,
            limits: limits(forSource: row.ref.source),
            limitKey: limitKey(forSource: row.ref.source),
            runStartedAt: startedAt,
            worker: worker?.token
        )
        switch try await ledger.claim(request) {
        case .recorded(let id):
            attemptIds.withLock { $0[AttemptKey(jobId: jobId, clientToken: row.clientToken)] = id }
            return .recorded
        case .refused(let refusal):
            return .refused(refusal)
        }
    }

    public func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome) async {
        await record(outcome, for: row, attempts: nil)
    }

    public func recordOutcome(for row: PlannedRow, _ outcome: JournalOutcome, attempts: Int) async {
        await record(outcome, for: row, attempts: attempts)
    }

    private func record(_ outcome: JournalOutcome, for row: PlannedRow, attempts: Int?) async {
        guard let jobId = jobIds[row.ref.job],
            let id = attemptIds.withLock({ $0[AttemptKey(jobId: jobId, clientToken: row.clientToken)] })
        else { return }
        var record = PendingOutcome(attemptId: id, status: .failed, at: ledger.nowMilliseconds())
        record.attempts = attempts
        switch outcome {
        case .started(let contactId):
            record.status = .started
            record.contactId = contactId
        case .failed(let code):
            record.errorCode = code
        case .uncertain(let code):
            record.status = .uncertain
            record.errorCode = code
        }
        await ledger.recordAndWait(record)
    }

    /// What the ledger would say of each row now, without recording anything: a refusal
    /// (suppressed, over a limit) or nil. A run skips the refused rows before they wait for the
    /// rate limit; a dry run shows them. The claim at intent time decides again.
    public func screen(_ rows: [PlannedRow]) async throws(RecordingError) -> [Refusal?] {
        // Each source's rules once, not once per row; rows come by source, so the last is kept at hand.
        var last: (source: String, limits: [ContactLimit], key: LimitKey, jobId: Int?)?
        var screened: [Ledger.ScreenedRow] = []
        screened.reserveCapacity(rows.count)
        for index in rows.indices {
            let ref = rows[index].ref
            if last?.source != ref.source {
                last = (ref.source, limits(forSource: ref.source), limitKey(forSource: ref.source), jobIds[ref.job])
            }
            guard let last else { continue }
            let row = rows[index]
            screened.append(
                (
                    row.destination, row.instanceId, last.limits, last.key,
                    last.jobId.map { AttemptKey(jobId: $0, clientToken: row.clientToken) }
                )
            )
        }
        return try await ledger.screen(screened, readAhead: readAhead)
    }

    /// Commits every outcome not yet written and lets the jobs go. Called once, at the end.
    public func finish() async {
        guard
            finished.withLock({ done in
                defer { done = true }; return !done
            })
        else { return }
        await ledger.synchronize()
        await feed.withLock { $0 }?.close()
        if let holder { await ledger.endRun(holder: holder) }
    }

    public func joinWorkers(rows: [PlannedRow], settled: [ResultLine]) async throws(RecordingError) -> WorkerShare {
        guard let worker, holder != nil else { throw .workersNotSupported(ledger.path) }
        var registered: [Int: [RegisteredRow]] = [:]
        var lines: [JobRowKey: ResultLine] = [:]
        var byKey: [JobRowKey: PlannedRow] = [:]
        byKey.reserveCapacity(rows.count)
        for line in settled {
            guard let source = sourceIds[line.ref.source] else { continue }
            lines[JobRowKey(sourceId: source, row: line.ref.row)] = line
        }
        for (position, row) in rows.enumerated() {
            guard let job = jobIds[row.ref.job], let source = sourceIds[row.ref.source] else { continue }
            let key = JobRowKey(sourceId: source, row: row.ref.row)
            // Every row is known to the feed: one settled here may be held by a worker that died.
            byKey[key] = row
            guard lines[key] == nil else { continue }
            registered[job, default: []].append(
                RegisteredRow(
                    key: key,
                    position: position,
                    line: row.ref.line,
                    destination: row.destination,
                    clientToken: row.clientToken,
                    result: nil,
                    reopen: false
                )
            )
        }
        for line in settled {
            guard let job = jobIds[line.ref.job], let source = sourceIds[line.ref.source] else { continue }
            let key = JobRowKey(sourceId: source, row: line.ref.row)
            registered[job, default: []].append(
                RegisteredRow(
                    key: key,
                    position: -1,
                    line: line.ref.line,
                    destination: line.destination,
                    clientToken: line.clientToken,
                    result: WorkerFeed.text(of: line),
                    reopen: WorkerFeed.reopens(line)
                )
            )
        }
        var mine: [ResultLine] = []
        for (job, rows) in registered.sorted(by: { $0.key < $1.key }) {
            let inserted = try await ledger.registerRows(jobId: job, rows)
            mine += rows.compactMap { inserted.contains($0.key) ? lines[$0.key] : nil }
        }
        let feed = WorkerFeed(
            ledger: ledger,
            worker: worker,
            jobIds: jobIds,
            sourceIds: sourceIds,
            rows: byKey
        )
        self.feed.withLock { $0 = feed }
        return WorkerShare(settled: mine, feed: feed)
    }

    public var sharedQuota: (any SharedQuota)? { ledger }

    public func durability() async -> (commits: Int, intents: Int) {
        await (ledger.commitCount, ledger.intentCount)
    }
}

extension Ledger {
    /// Lets the jobs of a run go (a failure is left to the next run, which finds the holder gone).
    func endRun(holder: String) async {
        try? await release(holder: holder)
    }

    /// A row as the screen reads it: its number, instance, limits and limit key, and the row's own
    /// attempt (its job and ClientToken), which does not count against it.
    typealias ScreenedRow = (
        destination: String, instance: String, limits: [ContactLimit], key: LimitKey, row: AttemptKey?
    )

    /// The refusals the ledger would give these rows now; see `LedgerRun.screen(_:)`.
    ///
    /// With the rules read whole ahead (`readAhead`), when they serve these rows, each row is
    /// decided in memory. Otherwise the rules of the rows' numbers are read now; a large screen
    /// (a dry run of 200,000 rows) is then cut by number into one piece per core, each read and
    /// decided on its own connection at the same time as the others.
    func screen(_ rows: [ScreenedRow], readAhead: ScreenReadAhead? = nil) async throws(RecordingError) -> [Refusal?] {
        let now = nowMilliseconds()
        let longestWindow = rows.lazy.flatMap(\.limits).map(\.perSeconds).max() ?? 0
        let pieces =
            rows.count < Self.rowsPerScreenPiece ? 1 : min(Self.screenPieces, rows.count / Self.rowsPerScreenPiece)
        if let readAhead,
            let refusals = await readAhead.decide(
                rows: rows.count,
                longestWindow: longestWindow,
                now: now,
                { rules in await Self.refusals(of: rows, now: now, by: rules, pieces: pieces) }
            )
        {
            return refusals
        }
        do {
            guard pieces > 1 else {
                return try await database.session { session throws(LedgerDatabaseError) in
                    try Self.screen(rows, now: now, longestWindow: longestWindow, in: session)
                }
            }
            // Every row of a number in the same piece: a piece's rules are all its numbers have.
            var members = [[Int]](repeating: [], count: pieces)
            for (index, row) in rows.enumerated() {
                members[Int(UInt(bitPattern: row.destination.hashValue) % UInt(pieces))].append(index)
            }
            let (database, location, busyTimeout) = (database, location, busyTimeout)
            let answers = try await withThrowingTaskGroup(of: (piece: Int, refusals: [Refusal?]).self) { group in
                for (piece, indices) in members.enumerated() {
                    let part = indices.map { rows[$0] }
                    group.addTask {
                        let screen = { @Sendable (session: any LedgerSession) throws(LedgerDatabaseError) in
                            try Self.screen(part, now: now, longestWindow: longestWindow, in: session)
                        }
                        if piece == 0 { return (piece, try await database.session(screen)) }
                        let connection = try await location.connect(busyTimeout: busyTimeout)
                        do {
                            let refusals = try await connection.session(screen)
                            await connection.close()
                            return (piece, refusals)
                        } catch {
                            await connection.close()
                            throw error
                        }
                    }
                }
                var answers = [[Refusal?]](repeating: [], count: pieces)
                for try await answer in group { answers[answer.piece] = answer.refusals }
                return answers
            }
            var refusals = [Refusal?](repeating: nil, count: rows.count)
            for (indices, answer) in zip(members, answers) {
                for (index, refusal) in zip(indices, answer) { refusals[index] = refusal }
            }
            return refusals
        } catch let error as LedgerDatabaseError {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        } catch {
            throw .ledgerUnusable(path, "\(error)")
        }
    }

    /// Rows a screen piece has at least.
    static let rowsPerScreenPiece = 20_000

    /// Pieces a large screen is cut into: one per core, at most 4.
    static let screenPieces = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))

    /// The refusals of `rows`, read from `session`.
    private static func screen(_ rows: [ScreenedRow], now: Int, longestWindow: Int, in session: any LedgerSession)
        throws(LedgerDatabaseError) -> [Refusal?]
    {
        let rules = try ContactRules.load(
            destinations: Set(rows.map(\.destination)),
            longestWindow: longestWindow,
            now: now,
            from: session
        )
        return refusals(of: rows[...], now: now, by: rules)
    }

    /// The refusals of `rows` at `now` by `rules`, decided in `pieces` at the same time.
    private static func refusals(of rows: [ScreenedRow], now: Int, by rules: ContactRules, pieces: Int) async
        -> [Refusal?]
    {
        guard pieces > 1 else { return refusals(of: rows[...], now: now, by: rules) }
        let size = (rows.count + pieces - 1) / pieces
        let answers = await withTaskGroup(of: (piece: Int, refusals: [Refusal?]).self) { group in
            for piece in 0 ..< pieces {
                let part = rows[min(rows.count, piece * size) ..< min(rows.count, (piece + 1) * size)]
                group.addTask { (piece, refusals(of: part, now: now, by: rules)) }
            }
            var answers = [[Refusal?]](repeating: [], count: pieces)
            for await answer in group { answers[answer.piece] = answer.refusals }
            return answers
        }
        var all: [Refusal?] = []
        all.reserveCapacity(rows.count)
        for answer in answers { all.append(contentsOf: answer) }
        return all
    }

    /// The refusals of `rows` at `now` by `rules`.
    private static func refusals(of rows: ArraySlice<ScreenedRow>, now: Int, by rules: ContactRules) -> [Refusal?] {
        rows.map {
            rules.refusal(
                destination: $0.destination,
                instance: $0.instance,
                limits: $0.limits,
                key: $0.key,
                row: $0.row,
                now: now
            )
        }
    }
}
