import Foundation
import OutdialCore
import Synchronization

/// Who a worker is in the store, and the lease it keeps.
struct WorkerIdentity: Sendable, Hashable {
    /// The run's holder token (host, pid, process start, run).
    var token: String
    var leaseMilliseconds: Int

    var lease: Duration { .milliseconds(leaseMilliseconds) }
}

/// One worker's rows of a job several workers run (`--worker`): claimed from the store a chunk at
/// a time; a heartbeat renews the lease every third of it; the result lines of its rows are
/// written to the store (`outdial ledger results`).
///
/// The lease is judged on this process's monotonic clock, from the start of the last renewal
/// that succeeded: rows start while less than two thirds of the lease have passed since, wait
/// while it may still be renewed, and stop for good once it has run out, before another worker
/// can take them over (which it does only when the lease has run out on its own wall clock).
final class WorkerFeed: RowFeed, Sendable {
    private struct State {
        var renewedAt: ContinuousClock.Instant
        var lost = false
        /// Lines waiting to be written, and whether a write is under way.
        var lines: [Ledger.SettledJobRow] = []
        var writing = false
        var heartbeat: Task<Void, Never>?
        /// The run ends: lines are written once more at most.
        var closing = false
    }

    private let ledger: Ledger
    private let worker: WorkerIdentity
    private let jobIds: [String: Int]
    private let sourceIds: [String: Int]
    private let rows: [JobRowKey: PlannedRow]
    /// Rows claimed at once.
    let chunk: Int
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    init(
        ledger: Ledger,
        worker: WorkerIdentity,
        jobIds: [String: Int],
        sourceIds: [String: Int],
        rows: [JobRowKey: PlannedRow],
        chunk: Int = 64
    ) {
        self.ledger = ledger
        self.worker = worker
        self.jobIds = jobIds
        self.sourceIds = sourceIds
        self.rows = rows
        self.chunk = chunk
        // Registered just now with a fresh lease.
        self.state = Mutex(State(renewedAt: ContinuousClock().now))
        let task = Task { [weak self] in
            guard let self else { return }
            await self.beat()
        }
        state.withLock { $0.heartbeat = task }
    }

    func next() async -> RowBatch? {
        let jobs = jobIds.values.sorted()
        while !Task.isCancelled {
            if lease() == .lost { return nil }
            let claims: [Int: WorkerClaim]
            do {
                claims = try await ledger.claimRows(jobs: jobs, worker: worker.token, count: chunk)
            } catch {
                // The store is out of reach: try again while the lease may still be renewed.
                guard await pause(.seconds(1)) else { return nil }
                continue
            }
            var batch = RowBatch(rows: [])
            var waitUntil: Int?
            for job in jobs {
                switch claims[job] {
                case .rows(let keys, let earlier):
                    batch.rows += keys.compactMap { rows[$0] }
                    batch.earlier.merge(earlier) { first, _ in first }
                case .wait(let until):
                    waitUntil = min(waitUntil ?? until, until)
                case .leaseLost:
                    state.withLock { $0.lost = true }
                case .done, nil:
                    break
                }
            }
            if !batch.rows.isEmpty { return batch }
            if lease() == .lost { return nil }
            guard let waitUntil else { return nil }
            // Other workers hold the last rows: they settle them, or their lease runs out and
            // the rows come here.
            let left = max(0, waitUntil - ledger.nowMilliseconds())
            guard await pause(.milliseconds(min(1000, max(100, left)))) else { return nil }
        }
        return nil
    }

    func lease() -> LeaseState {
        let (renewedAt, lost) = state.withLock { ($0.renewedAt, $0.lost) }
        if lost { return .lost }
        let elapsed = renewedAt.duration(to: clock.now)
        if elapsed < worker.lease * 2 / 3 { return .held }
        return elapsed < worker.lease ? .unsure : .lost
    }

    func settled(_ line: ResultLine) {
        guard let job = jobIds[line.ref.job], let source = sourceIds[line.ref.source] else { return }
        let key = JobRowKey(sourceId: source, row: line.ref.row)
        // A row not started because this worker stops (a signal, an abort, a lost lease) goes back
        // to the other workers, rather than being settled as not sent.
        let givenBack = line.status == .skipped && [.interrupted, .halted].contains(line.reason)
        let row = Ledger.SettledJobRow(
            job: job,
            key: key,
            line: givenBack ? nil : Self.text(of: line),
            reopen: Self.reopens(line)
        )
        state.withLock { $0.lines.append(row) }
        if takeWriting() { Task { await self.writeLines() } }
    }

    /// Whether the caller is to write the lines waiting (no write is under way); it is then.
    private func takeWriting() -> Bool {
        state.withLock { state in
            defer { state.writing = true }
            return !state.writing
        }
    }

    /// Writes the lines waiting, batch after batch, until none is. Lines that cannot be written
    /// (the store is out of reach) are tried again a second later, while the lease may still be
    /// renewed; after that their rows stay held, and when this worker's lease runs out, another
    /// one takes them over and settles them from their attempts.
    private func writeLines() async {
        while true {
            let lines = state.withLock { state -> [Ledger.SettledJobRow] in
                defer { state.lines = [] }
                if state.lines.isEmpty { state.writing = false }
                return state.lines
            }
            guard !lines.isEmpty else { return }
            do {
                try await ledger.settleRows(lines, worker: worker.token)
            } catch {
                guard lease() != .lost, !state.withLock({ $0.closing }) else { continue }
                state.withLock { $0.lines = lines + $0.lines }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Writes the lines still waiting (once more at most, when the store is out of reach) and
    /// ends the heartbeat. (The run then leaves the job: `Ledger.release(holder:)`.)
    func close() async {
        let heartbeat = state.withLock { state in
            state.closing = true
            return state.heartbeat
        }
        heartbeat?.cancel()
        while state.withLock({ $0.writing || !$0.lines.isEmpty }) {
            if takeWriting() {
                await writeLines()
            } else {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Renews the lease every third of it until cancelled.
    private func beat() async {
        let interval = worker.lease / 3
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            let started = clock.now
            do {
                let known = try await ledger.renewLease(
                    worker: worker.token,
                    leaseMilliseconds: worker.leaseMilliseconds
                )
                state.withLock { state in
                    if known { state.renewedAt = started } else { state.lost = true }
                }
            } catch {
                // Not renewed: `lease()` says so as time passes.
            }
        }
    }

    /// Sleeps for `duration`; false when cancelled.
    private func pause(_ duration: Duration) async -> Bool {
        do {
            try await Task.sleep(for: duration)
            return true
        } catch {
            return false
        }
    }

    /// A line as the store keeps it: its JSON without the newline.
    static func text(of line: ResultLine) -> String {
        var bytes = line.ndjson()
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the job's next round sends the row again: it failed, or was skipped for a reason
    /// that may not hold then (a run on one machine sends these again too).
    static func reopens(_ line: ResultLine) -> Bool {
        switch line.status {
        case .failed: true
        case .skipped: line.reason != .alreadyStarted
        default: false
        }
    }
}
