import OutdialBase

/// The embedded store: one SQLite file in write-ahead-log mode with full sync, so a committed
/// transaction (an intent) survives a crash or a power cut.
///
/// SQLite is called directly (the library sqlite-nio builds), on a serial queue of this connection:
/// its statements are prepared once and kept, and a session's statements run together, with one
/// hop to the queue and back instead of one per statement and one per row.
public final class SQLiteLedgerDatabase: LedgerDatabase {
    private let connection: SerialConnection<SQLiteHandle>
    public var beginWriting: String { connection.handle.beginWriting }
    public var dialect: LedgerDialect { .sqlite }

    /// Opens (creating, mode 0600) the database at `path`.
    /// - Parameter busyTimeout: how long a statement waits for another process's lock before it
    ///   fails with `.busy`.
    public static func open(path: String, busyTimeout: Duration) async throws(LedgerDatabaseError)
        -> SQLiteLedgerDatabase
    {
        // Created by us first, owner-only: SQLite would create it with the umask's mode.
        let fd = POSIX.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode: 0o600)
        if fd < 0 {
            let reason = POSIX.errorText(errno)
            throw LedgerDatabaseError(errno == EROFS || errno == EACCES ? .readOnly : .cannotOpen, reason)
        }
        POSIX.close(fd)
        let database = SQLiteLedgerDatabase(
            connection: try await SerialConnection.open(label: "outdial.ledger.sqlite") {
                () throws(LedgerDatabaseError) in try SQLiteHandle(path: path)
            }
        )
        do throws(LedgerDatabaseError) {
            let milliseconds = Int(busyTimeout.inMilliseconds)
            try await database.session { session throws(LedgerDatabaseError) in
                // How long a statement waits for another process's lock.
                try session.execute("PRAGMA busy_timeout = \(milliseconds)")
                let mode = try session.query("PRAGMA journal_mode = WAL", [])
                if mode.first?.first?.text?.lowercased() != "wal" {
                    throw LedgerDatabaseError(.other, "write-ahead logging could not be turned on")
                }
                try session.execute("PRAGMA synchronous = FULL")
                // Reads of a large store (a run's screen of 200,000 rows) through the page cache
                // and a memory map, not a read call per page.
                try session.execute("PRAGMA cache_size = -65536")
                try session.execute("PRAGMA mmap_size = 268435456")
                try session.execute("PRAGMA foreign_keys = ON")
            }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    private init(connection: SerialConnection<SQLiteHandle>) {
        self.connection = connection
    }

    public func session<T: Sendable>(
        _ body: @escaping @Sendable (any LedgerSession) throws(LedgerDatabaseError) -> T
    ) async throws(LedgerDatabaseError) -> T {
        try await connection.session(body)
    }

    public func close() async {
        await connection.close()
    }
}
