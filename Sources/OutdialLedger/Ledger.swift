import Foundation
import OutdialBase
import OutdialCore

/// The ledger: one store every run consults and records in, so "never twice", the communication
/// limits and the suppression list hold across jobs, runs and processes (ledger.md).
///
/// One `Ledger` is one connection; it serializes its statements. Intents use group commit: claims
/// that arrive while a transaction is being written are decided and committed together by the
/// next one (`Ledger+Claims.swift`).
public actor Ledger {
    /// The store's file (or server), for messages.
    public nonisolated let path: String
    /// Where the store is: other connections to it (a screen's pieces) are opened there.
    public nonisolated let location: LedgerLocation
    let database: any LedgerDatabase
    /// The clock of limits, expiries and records (injected by tests).
    nonisolated let wallClock: @Sendable () -> Date

    // Group commit (Ledger+Claims.swift).
    var pendingClaims: [PendingClaim] = []
    var pendingOutcomes: [PendingOutcome] = []
    var flushing = false
    var flushWaiters: [CheckedContinuation<Void, Never>] = []
    /// How long a statement waits for another process's lock.
    let busyTimeout: Duration
    var failure: RecordingError?
    /// Transactions and intents committed so far (the cost of durability).
    public internal(set) var commitCount = 0
    public internal(set) var intentCount = 0

    /// The store file's name in the state directory.
    public static let fileName = "outdial.sqlite"

    /// How long a statement waits for another process's lock by default.
    public static let defaultBusyTimeout: Duration = .seconds(10)

    init(
        location: LedgerLocation,
        database: any LedgerDatabase,
        busyTimeout: Duration,
        wallClock: @escaping @Sendable () -> Date
    ) {
        self.location = location
        self.path = location.description
        self.busyTimeout = busyTimeout
        self.database = database
        self.wallClock = wallClock
    }

    /// Opens the ledger of `directory` (creating the directory and the store if needed), then
    /// brings its schema up to date.
    /// - Throws: `RecordingError`: `stateDirectoryUnusable`, `ledgerUnusable` (not a database,
    ///   damaged, cannot be opened), `ledgerTooNew`, `ledgerBusy`, `ledgerWriteFailed`.
    public static func open(
        in directory: StateDirectory,
        busyTimeout: Duration = defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(RecordingError) -> Ledger {
        try await open(at: .directory(directory), busyTimeout: busyTimeout, wallClock: wallClock)
    }

    /// Opens the ledger at `location` (creating a state directory and its store if needed; a
    /// PostgreSQL database must exist, its tables are created), then brings its schema up to date.
    /// - Throws: as `open(in:)`; a server that cannot be reached, or refuses the user or the
    ///   password, is `ledgerUnusable` naming `user@host:port/database`.
    public static func open(
        at location: LedgerLocation,
        busyTimeout: Duration = defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(RecordingError) -> Ledger {
        try await openMigrating(at: location, busyTimeout: busyTimeout, wallClock: wallClock).ledger
    }

    /// `open(in:)`, telling from which schema version the store was brought up to date (0 for a
    /// new store): what `outdial ledger migrate` shows.
    public static func openMigrating(
        in directory: StateDirectory,
        busyTimeout: Duration = defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(RecordingError) -> (ledger: Ledger, from: Int, to: Int) {
        try await openMigrating(at: .directory(directory), busyTimeout: busyTimeout, wallClock: wallClock)
    }

    /// `open(at:)`, telling from which schema version the store was brought up to date.
    public static func openMigrating(
        at location: LedgerLocation,
        busyTimeout: Duration = defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(RecordingError) -> (ledger: Ledger, from: Int, to: Int) {
        if case .directory(let directory) = location { try directory.prepare() }
        let ledger = try await connect(at: location, busyTimeout: busyTimeout, wallClock: wallClock)
        do {
            let versions = try await ledger.migrate(busyTimeout: busyTimeout)
            return (ledger, versions.from, versions.to)
        } catch {
            await ledger.close()
            throw error
        }
    }

    /// A ledger on a new connection to `location`, its schema not looked at yet.
    private static func connect(
        at location: LedgerLocation,
        busyTimeout: Duration,
        wallClock: @escaping @Sendable () -> Date
    ) async throws(RecordingError) -> Ledger {
        let database: any LedgerDatabase
        do {
            database = try await location.connect(busyTimeout: busyTimeout)
        } catch {
            throw error.recordingError(path: location.description, busyTimeout: busyTimeout, opening: true)
        }
        return Ledger(location: location, database: database, busyTimeout: busyTimeout, wallClock: wallClock)
    }

    /// `open(at:)` when the store holds a ledger already; nil (nothing created) when it holds none:
    /// a dry run on a PostgreSQL database outdial has not used yet leaves it empty.
    public static func openIfCreated(
        at location: LedgerLocation,
        busyTimeout: Duration = defaultBusyTimeout,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(RecordingError) -> Ledger? {
        let ledger = try await connect(at: location, busyTimeout: busyTimeout, wallClock: wallClock)
        do throws(RecordingError) {
            let version: Int
            do {
                version = try await ledger.schemaVersion()
            } catch {
                throw error.recordingError(path: location.description, busyTimeout: busyTimeout, opening: true)
            }
            guard version > 0 else {
                await ledger.close()
                return nil
            }
            try await ledger.migrate(busyTimeout: busyTimeout)
            return ledger
        } catch {
            await ledger.close()
            throw error
        }
    }

    /// The store's file in `directory`.
    public static func path(in directory: StateDirectory) -> String {
        directory.path + "/" + fileName
    }

    /// Whether the ledger of `directory` exists (a dry run reads it only then, and never creates it).
    public static func exists(in directory: StateDirectory) -> Bool {
        var info = stat()
        return stat(path(in: directory), &info) == 0
    }

    /// Closes the connection. Outcomes not yet written are written first.
    public func close() async {
        await synchronize()
        await database.close()
    }

    /// Applies the migrations the store lacks, in one transaction.
    /// - Returns: the schema version before and after.
    @discardableResult
    public func migrate(busyTimeout: Duration = defaultBusyTimeout) async throws(RecordingError) -> (from: Int, to: Int)
    {
        let target = LedgerSchema.currentVersion
        do {
            let before = try await schemaVersion()
            if before > target { throw MigrationStop.tooNew(before) }
            if before == target { return (before, before) }
            return try await database.writing { () throws(LedgerDatabaseError) -> (from: Int, to: Int) in
                // Read again under the write lock: another process may have migrated meanwhile.
                let version = try await schemaVersion()
                if version >= target { return (version, version) }
                for migration in LedgerSchema.migrations(database.dialect)[version...] {
                    for statement in migration {
                        try await database.execute(statement)
                    }
                }
                try await database.execute(
                    """
                    INSERT INTO ledger_meta (key, value) VALUES ('schema_version', $1)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """,
                    [.text(String(target))]
                )
                return (version, target)
            }
        } catch let stop as MigrationStop {
            guard case .tooNew(let version) = stop else { fatalError("unreachable") }
            throw .ledgerTooNew(path, version: version, known: target)
        } catch let error as LedgerDatabaseError {
            throw error.recordingError(path: path, busyTimeout: busyTimeout, opening: true)
        } catch {
            throw .ledgerUnusable(path, "\(error)")
        }
    }

    /// The schema version of the store: 0 for a new, empty one.
    /// - Throws: `.notADatabase` when the file holds tables of something else.
    func schemaVersion() async throws(LedgerDatabaseError) -> Int {
        // One statement, so one snapshot: another process may be creating the store meanwhile,
        // and its tables must not be seen without its `ledger_meta`.
        let tables: [[SQLValue]]
        switch database.dialect {
        case .sqlite:
            tables = try await database.query(
                """
                SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_meta'),
                    (SELECT count(*) FROM sqlite_master)
                """,
                []
            )
        case .postgres:
            // A database holds other programs' tables too: only tables named as the ledger's are
            // in the way, in the schema the ledger's tables are created in.
            let names = LedgerSchema.tableNames.map { "'\($0)'" }.joined(separator: ", ")
            tables = try await database.query(
                """
                SELECT (SELECT count(*) FROM pg_catalog.pg_tables
                        WHERE schemaname = current_schema() AND tablename = 'ledger_meta'),
                    (SELECT count(*) FROM pg_catalog.pg_tables
                        WHERE schemaname = current_schema() AND tablename IN (\(names)))
                """,
                []
            )
        }
        guard let counts = tables.first, counts.count == 2, let meta = counts[0].integer, let all = counts[1].integer
        else {
            throw LedgerDatabaseError(.other, "the store's tables could not be listed")
        }
        if meta == 0 {
            if all > 0 {
                throw LedgerDatabaseError(
                    .notADatabase,
                    database.dialect == .sqlite
                        ? "the file is an SQLite database, but not an outdial ledger"
                        : "the database holds tables named as the ledger's, but no ledger_meta"
                )
            }
            return 0
        }
        let rows = try await database.query("SELECT value FROM ledger_meta WHERE key = 'schema_version'", [])
        guard let text = rows.first?.first?.text, let version = Int(text), version >= 0 else {
            throw LedgerDatabaseError(.notADatabase, "the ledger has no readable schema version")
        }
        return version
    }

    /// The wall clock in whole milliseconds since 1970.
    nonisolated func nowMilliseconds() -> Int {
        Int((wallClock().timeIntervalSince1970 * 1000).rounded(.down))
    }

    private enum MigrationStop: Error {
        case tooNew(Int)
    }
}

extension LedgerDatabaseError {
    /// The error as the user sees it, naming the store.
    func recordingError(path: String, busyTimeout: Duration, opening: Bool) -> RecordingError {
        switch kind {
        case .busy: .ledgerBusy(path, seconds: Int(busyTimeout.inSeconds.rounded(.up)))
        case .notADatabase:
            .ledgerUnusable(path, "not an outdial ledger (\(message)); move it away or use another --state-dir")
        case .cannotOpen: .ledgerUnusable(path, message)
        case .readOnly:
            opening
                ? .ledgerUnusable(path, "it cannot be written (\(message))")
                : .ledgerWriteFailed(path, "it cannot be written (\(message))")
        case .full: .ledgerWriteFailed(path, "the disk is full (\(message))")
        case .connectionLost: .ledgerUnreachable(path, message)
        case .ioError, .constraint, .other: opening ? .ledgerUnusable(path, message) : .ledgerWriteFailed(path, message)
        }
    }
}
