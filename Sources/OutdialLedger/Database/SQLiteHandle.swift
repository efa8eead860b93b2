import VaporCSQLite

/// One open SQLite connection and the statements it has prepared, used only on its database's
/// queue (`SQLiteLedgerDatabase`): each statement is parsed once and then reset, rebound and run
/// again, which for the ledger's short statements costs less than parsing them did.
final class SQLiteHandle: QueuedHandle, @unchecked Sendable {
    // @unchecked: used by one thread at a time: the owning database's serial queue, or a thread
    // that queue waits for (the rules' read ahead, `LowPriorityThread`).
    private var connection: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The `PRAGMA synchronous` in force: FULL when true.
    private var durable = true
    /// Statements being stepped now (more than one when a row's handler runs another).
    private var running = 0
    let beginWriting = "BEGIN IMMEDIATE"

    /// Prepared statements kept at most; past this the cache starts again (statements built for
    /// one batch, such as a suppression import's, are not worth keeping for long).
    private static let cacheLimit = 64

    /// Calls `sqlite3_initialize` once per process, before the first connection opens.
    private static let initialized: Bool = sqlite_nio_sqlite3_initialize() == SQLITE_OK

    init(path: String) throws(LedgerDatabaseError) {
        _ = Self.initialized
        var connection: OpaquePointer?
        // No mutex of SQLite's own: the connection is used by one thread at a time (see above), and
        // a lock taken on every column read cost more than the read.
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &connection, flags, nil)
        guard status == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite_nio_sqlite3_close_v2(connection)
            throw Self.error(status, message)
        }
        self.connection = connection
    }

    deinit {
        close()
    }

    var isClosed: Bool { connection == nil }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        sqlite_nio_sqlite3_close_v2(connection)
        connection = nil
    }

    func setDurableCommits(_ durable: Bool) throws(LedgerDatabaseError) {
        guard durable != self.durable else { return }
        try execute(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
        self.durable = durable
    }

    func query(_ sql: String, _ binds: [SQLValue]) throws(LedgerDatabaseError) -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        try run(sql, binds) { statement, columns in
            rows.append(
                (0 ..< columns).map { column in
                    switch sqlite_nio_sqlite3_column_type(statement, column) {
                    case SQLITE_INTEGER: .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
                    case SQLITE_FLOAT: .real(sqlite_nio_sqlite3_column_double(statement, column))
                    case SQLITE_TEXT: .text(Self.text(statement, column))
                    default: .null
                    }
                }
            )
        }
        return rows
    }

    func forEachRow(
        _ sql: String,
        _ binds: [SQLValue],
        _ row: (any LedgerRow) throws(LedgerDatabaseError) -> Void
    ) throws(LedgerDatabaseError) {
        try run(sql, binds) { (statement, _) throws(LedgerDatabaseError) in
            try row(Row(statement: statement))
        }
    }

    /// Binds `binds` to the statement of `sql` (prepared on first use), steps it to its end
    /// handing each row to `row`, and resets it, so it holds no lock and no values once done.
    private func run(
        _ sql: String,
        _ binds: [SQLValue],
        _ row: (OpaquePointer, Int32) throws(LedgerDatabaseError) -> Void
    ) throws(LedgerDatabaseError) {
        let (statement, kept) = try prepared(sql)
        running += 1
        defer {
            running -= 1
            if kept {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            } else {
                sqlite_nio_sqlite3_finalize(statement)
            }
        }
        for (index, value) in binds.enumerated() {
            let place = Int32(index + 1)
            let status: Int32 =
                switch value {
                case .integer(let value): sqlite_nio_sqlite3_bind_int64(statement, place, Int64(value))
                case .real(let value): sqlite_nio_sqlite3_bind_double(statement, place, value)
                case .text(let value):
                    sqlite_nio_sqlite3_bind_text64(
                        statement,
                        place,
                        value,
                        UInt64(value.utf8.count),
                        Self.transient,
                        UInt8(SQLITE_UTF8)
                    )
                case .null: sqlite_nio_sqlite3_bind_null(statement, place)
                }
            guard status == SQLITE_OK else { throw failure(status) }
        }
        let columns = sqlite_nio_sqlite3_column_count(statement)
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw failure(status) }
            try row(statement, columns)
        }
    }

    /// The statement of `sql`, prepared once and kept (`kept`), or, when the cache is full while
    /// another statement runs, for this use only.
    private func prepared(_ sql: String) throws(LedgerDatabaseError) -> (statement: OpaquePointer, kept: Bool) {
        if let statement = statements[sql] { return (statement, true) }
        guard let connection else { throw LedgerDatabaseError(.other, "the ledger's connection is closed") }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(
            connection,
            Self.numberedParameters(sql),
            -1,
            UInt32(SQLITE_PREPARE_PERSISTENT),
            &statement,
            nil
        )
        guard status == SQLITE_OK, let statement else { throw failure(status) }
        if statements.count >= Self.cacheLimit {
            // Statements in use (a query run from another's row) are not dropped from under it.
            guard running == 0 else { return (statement, false) }
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements = [:]
        }
        statements[sql] = statement
        return (statement, true)
    }

    private func failure(_ status: Int32) -> LedgerDatabaseError {
        let message = connection.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "the connection is closed"
        return Self.error(status, message)
    }

    /// The error of an SQLite result code, in the terms the ledger acts on.
    static func error(_ status: Int32, _ message: String) -> LedgerDatabaseError {
        let kind: LedgerDatabaseError.Kind =
            switch status & 0xff {
            case SQLITE_BUSY, SQLITE_LOCKED: .busy
            case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH: .readOnly
            case SQLITE_FULL: .full
            case SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_FORMAT: .notADatabase
            case SQLITE_CANTOPEN: .cannotOpen
            case SQLITE_IOERR: .ioError
            case SQLITE_CONSTRAINT: .constraint
            default: .other
            }
        // A full disk often shows as a failed write or sync of the log.
        if kind == .ioError, message.lowercased().contains("full") {
            return LedgerDatabaseError(.full, message)
        }
        return LedgerDatabaseError(kind, message)
    }

    /// `$1`, `$2`, … as SQLite's `?1`, `?2`, …: the same numbered places, without the lookup by
    /// name SQLite does for every `$NAME` (quadratic in a statement with hundreds of them).
    /// The ledger's SQL holds no `$` in its literals.
    static func numberedParameters(_ sql: String) -> String {
        var bytes = Array(sql.utf8)
        for index in bytes.indices.dropLast()
        where bytes[index] == UInt8(ascii: "$") && (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(bytes[index + 1])
        {
            bytes[index] = UInt8(ascii: "?")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// SQLite copies the bound text (the Swift string's buffer does not outlive the call).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    fileprivate static func text(_ statement: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private struct Row: LedgerRow {
        let statement: OpaquePointer

        func integer(_ column: Int) -> Int? {
            guard sqlite_nio_sqlite3_column_type(statement, Int32(column)) == SQLITE_INTEGER else { return nil }
            return Int(sqlite_nio_sqlite3_column_int64(statement, Int32(column)))
        }

        func text(_ column: Int) -> String? {
            guard sqlite_nio_sqlite3_column_type(statement, Int32(column)) == SQLITE_TEXT else { return nil }
            return SQLiteHandle.text(statement, Int32(column))
        }
    }
}
