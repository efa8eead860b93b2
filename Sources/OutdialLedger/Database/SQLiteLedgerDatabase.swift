import Logging
import NIOCore
import OutdialBase
import SQLiteNIO
import Synchronization

/// The embedded store: one SQLite file in write-ahead-log mode with full sync, so a committed
/// transaction (an intent) survives a crash or a power cut.
public final class SQLiteLedgerDatabase: LedgerDatabase {
    private let connection: SQLiteConnection
    /// Whether commits are synced to disk now (`PRAGMA synchronous`: FULL, else NORMAL).
    private let durableCommits = Mutex(true)
    public var beginWriting: String { "BEGIN IMMEDIATE" }

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
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path),
                logger: Logger(label: "outdial.ledger.sqlite", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        } catch {
            throw Self.translate(error)
        }
        let database = SQLiteLedgerDatabase(connection: connection)
        do throws(LedgerDatabaseError) {
            let milliseconds = Int(busyTimeout.inMilliseconds)
            // Replaces the library's wait-forever busy handler.
            try await database.execute("PRAGMA busy_timeout = \(milliseconds)")
            let mode = try await database.query("PRAGMA journal_mode = WAL", [])
            if mode.first?.first?.text?.lowercased() != "wal" {
                throw LedgerDatabaseError(.other, "write-ahead logging could not be turned on")
            }
            try await database.execute("PRAGMA synchronous = FULL")
            // Reads of a large store (a run's screen of 200,000 rows) through the page cache and
            // a memory map, not a read call per page.
            try await database.execute("PRAGMA cache_size = -65536")
            try await database.execute("PRAGMA mmap_size = 268435456")
            try await database.execute("PRAGMA foreign_keys = ON")
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func setDurableCommits(_ durable: Bool) async throws(LedgerDatabaseError) {
        guard durableCommits.withLock({ $0 }) != durable else { return }
        try await execute("PRAGMA synchronous = \(durable ? "FULL" : "NORMAL")")
        durableCommits.withLock { $0 = durable }
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws(LedgerDatabaseError) -> [[SQLValue]] {
        let rows = RowCollector()
        do {
            try await connection.query(Self.numberedParameters(sql), binds.map(\.sqliteData)) { row in
                rows.append(row.columns.map { SQLValue($0.data) })
            }
        } catch {
            throw Self.translate(error)
        }
        return rows.take()
    }

    public func close() async {
        try? await connection.close()
    }

    deinit {
        // A connection dropped without `close()` (an error path) is still closed, on SQLite's thread.
        if !connection.isClosed {
            _ = connection.close() as EventLoopFuture<Void>
        }
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

    static func translate(_ error: any Error) -> LedgerDatabaseError {
        guard let error = error as? SQLiteError else {
            return LedgerDatabaseError(.other, "\(error)")
        }
        let kind: LedgerDatabaseError.Kind =
            switch error.reason {
            case .busy, .locked, .busyTimeout, .busyInRecovery, .busyInSnapshot: .busy
            case .readOnly, .readonlyCantLock, .readonlyDirectory, .readonlyInRecovery, .readonlyInRollback,
                .readonlyBackingMoved, .permission, .auth:
                .readOnly
            case .full: .full
            case .notADatabase, .corrupt, .corruptIndex, .corruptSequenceSchema, .corruptVirtualTable, .format:
                .notADatabase
            case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath, .cantOpenUnfollowedSymlink, .cantOpenCygwinPath:
                .cannotOpen
            case .ioError: .ioError
            case .constraint: .constraint
            default: Self.isIOError(error.reason) ? .ioError : .other
            }
        // A full disk often shows as a failed write or sync of the log.
        if kind == .ioError, error.message.lowercased().contains("full") {
            return LedgerDatabaseError(.full, error.message)
        }
        return LedgerDatabaseError(kind, error.message)
    }

    private static func isIOError(_ reason: SQLiteError.Reason) -> Bool {
        "\(reason)".hasPrefix("ioError")
    }
}

extension SQLValue {
    var sqliteData: SQLiteData {
        switch self {
        case .integer(let value): .integer(value)
        case .real(let value): .float(value)
        case .text(let value): .text(value)
        case .null: .null
        }
    }

    init(_ data: SQLiteData) {
        switch data {
        case .integer(let value): self = .integer(value)
        case .float(let value): self = .real(value)
        case .text(let value): self = .text(value)
        case .blob, .null: self = .null
        }
    }
}

/// Rows handed over from SQLite's thread.
private final class RowCollector: Sendable {
    private let rows = Mutex<[[SQLValue]]>([])

    func append(_ row: [SQLValue]) {
        rows.withLock { $0.append(row) }
    }

    func take() -> [[SQLValue]] {
        rows.withLock { rows in
            defer { rows = [] }
            return rows
        }
    }
}
