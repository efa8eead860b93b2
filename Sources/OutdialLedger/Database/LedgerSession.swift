import Dispatch
import Synchronization

/// The connection inside one `LedgerDatabase.session(_:)`: statements run at once, one after the
/// other, on the connection's own thread, with no hop between them. A transaction that reads,
/// decides and writes (a claim batch) is one session, so it costs one hop, not one per statement.
///
/// A session must not be kept past the closure it was handed to.
public protocol LedgerSession {
    /// Runs one statement (`$1`, `$2`, … placeholders, as `LedgerDatabase.query`); returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) throws(LedgerDatabaseError) -> [[SQLValue]]

    /// Runs one statement, handing each row to `row` as it is read (no array of rows is built).
    func forEachRow(
        _ sql: String,
        _ binds: [SQLValue],
        _ row: (any LedgerRow) throws(LedgerDatabaseError) -> Void
    ) throws(LedgerDatabaseError)

    /// `LedgerDatabase.beginWriting`.
    var beginWriting: String { get }

    /// `LedgerDatabase.setDurableCommits(_:)`, for the transactions of this session and after.
    func setDurableCommits(_ durable: Bool) throws(LedgerDatabaseError)
}

/// One row being read inside `LedgerSession.forEachRow`: its columns, read by position. Valid only
/// inside the call it is handed to.
public protocol LedgerRow {
    func integer(_ column: Int) -> Int?
    func text(_ column: Int) -> String?
}

extension LedgerSession {
    /// Runs a statement whose rows are not wanted.
    public func execute(_ sql: String, _ binds: [SQLValue] = []) throws(LedgerDatabaseError) {
        try forEachRow(sql, binds) { (_: any LedgerRow) throws(LedgerDatabaseError) in }
    }

    /// Runs `body` in a writing transaction: committed when it returns, rolled back when it throws.
    public func writing<T>(_ body: () throws(LedgerDatabaseError) -> T) throws(LedgerDatabaseError) -> T {
        try execute(beginWriting)
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

extension DispatchQueue {
    /// Runs `body` with `session` on this queue (a connection's serial queue), and returns what
    /// it returned once it has: one hop there and back for the whole session.
    func run<T: Sendable>(
        _ session: some LedgerSession & Sendable,
        _ body: @escaping @Sendable (any LedgerSession) throws(LedgerDatabaseError) -> T
    ) async throws(LedgerDatabaseError) -> T {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, LedgerDatabaseError>, Never>) in
            self.async {
                continuation.resume(returning: Result { () throws(LedgerDatabaseError) -> T in try body(session) })
            }
        }
        return try result.get()
    }
}

/// What a `SerialConnection` holds: a session that can be closed (on the connection's queue).
protocol QueuedHandle: LedgerSession, Sendable {
    func close()
}

/// A connection used only on its own serial queue (SQLite's handle, PostgreSQL's session): it is
/// opened there, every session runs there, one at a time, and it is closed there once, also when
/// it is dropped without `close()` (an error path).
final class SerialConnection<Handle: QueuedHandle>: Sendable {
    let handle: Handle
    private let queue: DispatchQueue
    private let closed = Mutex(false)

    private init(handle: Handle, queue: DispatchQueue) {
        self.handle = handle
        self.queue = queue
    }

    /// Opens a handle with `make`, on a new serial queue named `label`.
    static func open(
        label: String,
        _ make: @escaping @Sendable () throws(LedgerDatabaseError) -> Handle
    ) async throws(LedgerDatabaseError) -> SerialConnection {
        let queue = DispatchQueue(label: label)
        let opened = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Handle, LedgerDatabaseError>, Never>) in
            queue.async { continuation.resume(returning: Result { () throws(LedgerDatabaseError) in try make() }) }
        }
        return SerialConnection(handle: try opened.get(), queue: queue)
    }

    /// `LedgerDatabase.session(_:)`.
    func session<T: Sendable>(
        _ body: @escaping @Sendable (any LedgerSession) throws(LedgerDatabaseError) -> T
    ) async throws(LedgerDatabaseError) -> T {
        try await queue.run(handle, body)
    }

    /// Closes the handle, once.
    func close() async {
        guard
            closed.withLock({ closed in
                defer { closed = true }; return !closed
            })
        else { return }
        let handle = handle
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                handle.close()
                continuation.resume()
            }
        }
    }

    deinit {
        if !closed.withLock({ $0 }) {
            let handle = handle
            queue.async { handle.close() }
        }
    }
}
