import Foundation
import OutdialBase
import OutdialCore
import Synchronization

/// The rules a run's screen needs, read whole on a connection of their own while the job files
/// are still being read and planned: the suppression list and every attempt that counts within
/// the longest window of the ledger's default limits, each table read once in its own order.
///
/// The screen uses them when the tables are small beside the rows it screens (a dry run of
/// 200,000 rows against a store of 300,000 records); for a few rows against a large store it
/// stops the read and asks about each number as before. Whatever the screen decides, the claim
/// before each request decides again.
public final class ScreenReadAhead: Sendable {
    private struct Opened: Sendable {
        let ledger: Ledger
        /// Records in the two tables, about (their highest row ids: deleted rows count too).
        let records: Int
        /// The same for each table.
        let suppressions: Int
        let attempts: Int
        /// Attempts at or before this instant (ms since 1970) are not read.
        let since: Int
    }

    private let opened: Task<Opened?, Never>
    private let read: Task<Void, Never>
    private let shared: Shared

    /// Records read whole per row screened at most: past this, probing each number costs less.
    static let recordsPerRow = 16

    /// Starts reading the rules of the store at `location` (which must exist: nothing is created).
    /// - Parameters:
    ///   - busyTimeout: how long a statement waits for another process's lock.
    ///   - wallClock: the clock of limits and expiries.
    public init(location: LedgerLocation, busyTimeout: Duration, wallClock: @escaping @Sendable () -> Date) {
        let shared = Shared()
        let opened = Task { () -> Opened? in
            guard let database = try? await location.connect(busyTimeout: busyTimeout) else { return nil }
            let ledger = Ledger(location: location, database: database, busyTimeout: busyTimeout, wallClock: wallClock)
            do {
                let defaults = try await ledger.readDefaults()
                let window = defaults.limits(for: JobRules()).map(\.perSeconds).max() ?? 0
                // SQLite's row ids are read without a scan; PostgreSQL's suppressions have none.
                let suppressionCount =
                    database.dialect == .sqlite
                    ? "SELECT coalesce(max(rowid), 0) FROM suppressions" : "SELECT count(*) FROM suppressions"
                let counts = try await database.query(
                    "SELECT (\(suppressionCount)), (SELECT coalesce(max(id), 0) FROM attempts)",
                    []
                )
                let suppressions = counts.first?.first?.integer ?? Int.max
                let attempts = counts.first?.last?.integer ?? Int.max
                return Opened(
                    ledger: ledger,
                    records: suppressions.addingReportingOverflow(attempts).overflow
                        ? Int.max : suppressions + attempts,
                    suppressions: suppressions,
                    attempts: attempts,
                    since: ledger.nowMilliseconds() - window * 1000
                )
            } catch {
                await ledger.close()
                return nil
            }
        }
        self.opened = opened
        self.shared = shared
        self.read = Task {
            guard let opened = await opened.value else { return }
            let (since, now) = (opened.since, opened.ledger.nowMilliseconds())
            // At the lowest priority: the read takes only the CPU that reading and planning the
            // job files leave idle, rather than slowing them down.
            let rules = try? await opened.ledger.database.session { session throws(LedgerDatabaseError) in
                try LowPriorityThread.run { () throws(LedgerDatabaseError) in
                    try ContactRules.loadWhole(
                        since: since,
                        now: now,
                        expecting: (opened.attempts, opened.suppressions),
                        from: session,
                        stop: { shared.isStopped }
                    )
                }
            }
            await opened.ledger.close()
            shared.rules.withLock { $0 = rules }
        }
    }

    /// Decides `rows` distinct numbers by the rules read whole, when those serve them: their
    /// longest limit window is `longestWindow` seconds at `now` (ms since 1970), and the tables
    /// are small beside the rows. Otherwise (probing each number is the better way, or the read
    /// failed) the read is stopped and `decide` is not called.
    /// - Returns: what `decide` returned, or nil when it was not called.
    func decide<T: Sendable>(
        rows: Int,
        longestWindow: Int,
        now: Int,
        _ decide: @Sendable (ContactRules) async -> T
    ) async -> T? {
        guard let opened = await opened.value,
            opened.records <= Self.recordsPerRow * rows,
            longestWindow == 0 || now - longestWindow * 1000 >= opened.since
        else {
            shared.stop()
            return nil
        }
        await read.value
        guard let rules = shared.rules.withLock({ $0 }) else { return nil }
        shared.served.store(true, ordering: .relaxed)
        let answer = await decide(rules)
        // Hundreds of thousands of entries: freed on another thread while the lines are written.
        shared.rules.withLock { $0 = nil }
        Task.detached(priority: .background) { withExtendedLifetime(rules) {} }
        return answer
    }

    /// Whether a screen was decided by the rules read whole.
    var served: Bool { shared.served.load(ordering: .relaxed) }

    /// Stops the read if it is still going, and waits until its connection is closed.
    public func close() async {
        shared.stop()
        await read.value
        shared.rules.withLock { $0 = nil }
    }
}

/// What the read shares with the screen: the stop asked for (read from the connection's thread
/// while it reads), and the rules once read.
private final class Shared: Sendable {
    private let stopped = Atomic(false)
    let served = Atomic(false)
    let rules = Mutex<ContactRules?>(nil)

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    func stop() { stopped.store(true, ordering: .relaxed) }
}
