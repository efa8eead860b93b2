/// A value bound to, or read from, a ledger statement.
public enum SQLValue: Sendable, Hashable {
    case integer(Int)
    case real(Double)
    case text(String)
    case null

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }
}

extension SQLValue {
    /// `.text(value)`, or `.null` when `value` is nil.
    public static func text(_ value: String?) -> SQLValue {
        value.map { .text($0) } ?? .null
    }

    /// `.integer(value)`, or `.null` when `value` is nil.
    public static func integer(_ value: Int?) -> SQLValue {
        value.map { .integer($0) } ?? .null
    }
}

/// Why a statement failed, in the terms the ledger acts on.
public struct LedgerDatabaseError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Another process holds the lock longer than the busy timeout.
        case busy
        /// The file or its directory cannot be written.
        case readOnly
        /// The disk (or quota) is full.
        case full
        /// The file is not a database, or is damaged.
        case notADatabase
        /// The file cannot be opened at all.
        case cannotOpen
        /// A disk read or write failed.
        case ioError
        /// The connection to the server was lost (made again at the next statement).
        case connectionLost
        /// A uniqueness or other constraint failed.
        case constraint
        case other
    }

    public let kind: Kind
    /// The database's own text (no bound values: phone numbers never reach it).
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The SQL of a backend, where it differs from the portable SQL the ledger sends.
public enum LedgerDialect: Sendable, Hashable {
    case sqlite
    case postgres
}

/// One connection to the store, the way every backend offers it: statements with `$1`, `$2`, …
/// placeholders (numbered in order of first use, which SQLite and PostgreSQL both read), rows as
/// arrays of values in column order. Statements run one at a time, in the order they are awaited;
/// the ledger keeps one connection per process and serializes its use.
///
/// The SQL the ledger sends is kept portable between SQLite and PostgreSQL (no SQLite-only
/// functions; `RETURNING`, `ON CONFLICT`, CTEs); what differs (DDL types, the statement that
/// starts a writing transaction) is asked of the backend.
public protocol LedgerDatabase: Sendable {
    /// Runs one statement; returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) async throws(LedgerDatabaseError) -> [[SQLValue]]

    /// Runs `body` with the connection to itself: its statements run one after the other with
    /// nothing else in between, and without a wait for each (SQLite: on the connection's thread).
    /// A transaction whose statements follow from each other's rows (a claim batch: read the
    /// rules, decide, write the intents) is one session.
    func session<T: Sendable>(
        _ body: @escaping @Sendable (any LedgerSession) throws(LedgerDatabaseError) -> T
    ) async throws(LedgerDatabaseError) -> T

    /// The statement that opens a transaction which writes, taking the write lock at once
    /// (`BEGIN IMMEDIATE` in SQLite), so a read-then-write inside it is never overtaken.
    var beginWriting: String { get }

    /// Which SQL the backend speaks where it differs (DDL types, its catalogue).
    var dialect: LedgerDialect { get }

    /// Closes the connection.
    func close() async

    /// Whether the next transactions must be on disk when they commit (`true`: intents, which
    /// must survive a power cut before their request leaves) or only handed to the operating
    /// system (`false`: outcomes alone, which survive a crashed or killed process; one lost to a
    /// power cut leaves its row `uncertain`, which is safe). A later durable commit makes the
    /// earlier ones durable too.
    func setDurableCommits(_ durable: Bool) async throws(LedgerDatabaseError)
}

extension LedgerDatabase {
    /// Runs one statement in a session of its own.
    public func query(_ sql: String, _ binds: [SQLValue]) async throws(LedgerDatabaseError) -> [[SQLValue]] {
        try await session { session throws(LedgerDatabaseError) in try session.query(sql, binds) }
    }

    /// Sets the durability of the next commits in a session of its own.
    public func setDurableCommits(_ durable: Bool) async throws(LedgerDatabaseError) {
        try await session { session throws(LedgerDatabaseError) in try session.setDurableCommits(durable) }
    }

    /// Runs a statement whose rows are not wanted.
    public func execute(_ sql: String, _ binds: [SQLValue] = []) async throws(LedgerDatabaseError) {
        _ = try await query(sql, binds)
    }

    /// Runs `body` in a writing transaction: committed when it returns, rolled back when it throws.
    public func writing<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(LedgerDatabaseError) -> T
    ) async throws(LedgerDatabaseError) -> T {
        try await execute(beginWriting)
        do {
            let value = try await body()
            try await execute("COMMIT")
            return value
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
    }
}
